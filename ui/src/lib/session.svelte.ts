// Facts about the open database that several screens show and one may change: the
// device's name (the top bar shows it; Sync and Settings rename it).

export const session = $state<{ deviceName: string }>({ deviceName: '' });
