// Every label of the UI, in English and Hebrew, and the lookup with its fallbacks.
// English is complete by construction (its type defines the keys); another language
// may lack a key, which then shows in English rather than as a raw key.

export type Lang = 'en' | 'he';

export const LANGS: readonly { code: Lang; name: string; dir: 'ltr' | 'rtl' }[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'he', name: 'עברית', dir: 'rtl' },
];

const en = {
  'app.name': 'Exchange Desk',
  'app.loading': 'Loading…',

  'nav.label': 'Sections',
  'nav.dashboard': 'Dashboard',
  'nav.programs': 'Programs',
  'nav.cohorts': 'Cohorts',
  'nav.people': 'People',
  'nav.institutions': 'Institutions',
  'nav.agreements': 'Agreements',
  'nav.fellowships': 'Fellowships',
  'nav.sync': 'Sync',
  'nav.settings': 'Settings',

  'top.language': 'Language',
  'top.database': 'Database',
  'top.device': 'This device',

  'search.label': 'Search all records',
  'search.placeholder': 'Search people, cohorts, institutions…',
  'search.shortcut': 'Ctrl K',
  'search.none': 'Nothing matches “{query}”.',
  'search.searching': 'Searching…',

  'entity.person': 'Person',
  'entity.institution': 'Institution',
  'entity.program': 'Program',
  'entity.cohort': 'Cohort',
  'entity.placement': 'Placement',
  'entity.fellowship': 'Fellowship',
  'entity.agreement': 'Agreement',

  'welcome.title': 'Welcome to Exchange Desk',
  'welcome.body':
    'This database is empty. Explore the app with a demo dataset, or start empty and add your own programs, cohorts and people.',
  'welcome.demo': 'Explore with demo data',
  'welcome.demoHint': 'Fictional programs, cohorts, people and institutions to try things out.',
  'welcome.empty': 'Start empty',
  'welcome.emptyHint': 'Add records yourself or import a roster.',
  'welcome.working': 'Preparing your database…',

  'dashboard.title': 'Dashboard',
  'dashboard.totals': 'Totals',
  'dashboard.emptyHint':
    'Nothing recorded yet. Create a program and a cohort, or import a roster, and the totals will appear here.',
  'dashboard.deadlines': 'Deadlines in the next 60 days',
  'dashboard.noDeadlines': 'No deadlines in the next 60 days.',
  'dashboard.daysLeft': 'in {days} days',
  'dashboard.today': 'today',
  'dashboard.overdue': '{days} days overdue',

  'count.person': 'People',
  'count.institution': 'Institutions',
  'count.program': 'Programs',
  'count.cohort': 'Cohorts',
  'count.placement': 'Placements',
  'count.fellowship': 'Fellowships',

  'breakdown.status': 'Placements by status',
  'breakdown.kind': 'Programs by kind',
  'breakdown.tech': 'Programs by technology area',
  'breakdown.direction': 'Placements by direction',
  'breakdown.empty': 'Nothing to count yet.',

  'cohorts.title': 'Cohorts',
  'cohorts.name': 'Name',
  'cohorts.program': 'Program',
  'cohorts.dates': 'Dates',
  'cohorts.capacity': 'Capacity',
  'cohorts.placements': 'Placements',
  'cohorts.empty': 'No cohorts yet — create one or import a roster.',
  'cohorts.count': '{count} cohorts',

  'cohort.back': 'Cohorts',
  'cohort.program': 'Program',
  'cohort.dates': 'Dates',
  'cohort.host': 'Host institution',
  'cohort.location': 'Location',
  'cohort.capacity': 'Capacity used',
  'cohort.capacityOf': '{used} of {capacity}',
  'cohort.noCapacity': '{used} placed · no capacity set',
  'cohort.roster': 'Roster',
  'cohort.rosterEmpty': 'No one is placed in this cohort yet — add placements or import a roster.',

  'roster.name': 'Name',
  'roster.home': 'Home institution',
  'roster.host': 'Host institution',
  'roster.direction': 'Direction',
  'roster.role': 'Role',
  'roster.status': 'Status',
  'roster.screening': 'Screening',

  'people.title': 'People',
  'people.search': 'Filter people',
  'people.searchPlaceholder': 'Type a name or e-mail…',
  'people.name': 'Name',
  'people.email': 'E-mail',
  'people.home': 'Home institution',
  'people.empty': 'No people yet — add someone or import a list.',
  'people.noMatch': 'No one matches “{query}”. Check the spelling or try the other script.',
  'people.range': '{from}–{to} of {total}',
  'people.previous': 'Previous',
  'people.next': 'Next',

  'soon.title': '{section} — coming soon',
  'soon.body':
    'This part of Exchange Desk is still being built. Meanwhile the exdesk command-line tool manages these records in the same database.',

  'error.title': 'Something went wrong',
  'error.openDb': 'The database could not be opened',
  'error.retry': 'Try again',
  'error.unknown': 'An unexpected error occurred.',
  'common.none': '—',

  'status.nominated': 'Nominated',
  'status.applied': 'Applied',
  'status.accepted': 'Accepted',
  'status.confirmed': 'Confirmed',
  'status.active': 'Active',
  'status.completed': 'Completed',
  'status.withdrawn': 'Withdrawn',
  'status.declined': 'Declined',

  'screening.not_required': 'Not required',
  'screening.pending': 'Pending',
  'screening.cleared': 'Cleared',
  'screening.flagged': 'Flagged',

  'role.participant': 'Participant',
  'role.mentor': 'Mentor',
  'role.staff': 'Staff',

  'kind.joint_training': 'Joint training',
  'kind.academic_exchange': 'Academic exchange',
  'kind.fellowship': 'Fellowship',
  'kind.collaborative_project': 'Collaborative project',

  'tech.ai': 'AI',
  'tech.advanced_computing': 'Advanced computing',
  'tech.semiconductors': 'Semiconductors',
  'tech.energy': 'Energy',
  'tech.space': 'Space',
  'tech.robotics': 'Robotics',
  'tech.other': 'Other',

  'direction.domestic': 'Domestic',

  'deadline.visa_expiry': 'Visa expiry',
  'deadline.tranche_due': 'Tranche due',
  'deadline.report_due': 'Report due',
  'deadline.cohort_start': 'Cohort starts',
  'deadline.checklist_due': 'Checklist item due',
} as const;

export type Key = keyof typeof en;
export type Dictionary = Record<Key, string>;

const he: Partial<Dictionary> = {
  'app.name': 'Exchange Desk',
  'app.loading': 'טוען…',

  'nav.label': 'אזורים',
  'nav.dashboard': 'לוח בקרה',
  'nav.programs': 'תוכניות',
  'nav.cohorts': 'מחזורים',
  'nav.people': 'אנשים',
  'nav.institutions': 'מוסדות',
  'nav.agreements': 'הסכמים',
  'nav.fellowships': 'מלגות',
  'nav.sync': 'סנכרון',
  'nav.settings': 'הגדרות',

  'top.language': 'שפה',
  'top.database': 'מסד נתונים',
  'top.device': 'המכשיר הזה',

  'search.label': 'חיפוש בכל הרשומות',
  'search.placeholder': 'חיפוש אנשים, מחזורים, מוסדות…',
  'search.shortcut': 'Ctrl K',
  'search.none': 'לא נמצאו תוצאות עבור „{query}”.',
  'search.searching': 'מחפש…',

  'entity.person': 'אדם',
  'entity.institution': 'מוסד',
  'entity.program': 'תוכנית',
  'entity.cohort': 'מחזור',
  'entity.placement': 'שיבוץ',
  'entity.fellowship': 'מלגה',
  'entity.agreement': 'הסכם',

  'welcome.title': 'ברוכים הבאים ל־Exchange Desk',
  'welcome.body':
    'מסד הנתונים ריק. אפשר לסייר באפליקציה עם נתוני הדגמה, או להתחיל ממסד ריק ולהוסיף תוכניות, מחזורים ואנשים משלכם.',
  'welcome.demo': 'סיור עם נתוני הדגמה',
  'welcome.demoHint': 'תוכניות, מחזורים, אנשים ומוסדות בדויים, כדי להתנסות.',
  'welcome.empty': 'התחלה ממסד ריק',
  'welcome.emptyHint': 'הוסיפו רשומות בעצמכם או ייבאו רשימת משתתפים.',
  'welcome.working': 'מכין את מסד הנתונים…',

  'dashboard.title': 'לוח בקרה',
  'dashboard.totals': 'סיכומים',
  'dashboard.emptyHint':
    'עדיין לא נרשם דבר. צרו תוכנית ומחזור, או ייבאו רשימת משתתפים, והסיכומים יופיעו כאן.',
  'dashboard.deadlines': 'מועדים ב־60 הימים הקרובים',
  'dashboard.noDeadlines': 'אין מועדים ב־60 הימים הקרובים.',
  'dashboard.daysLeft': 'בעוד {days} ימים',
  'dashboard.today': 'היום',
  'dashboard.overdue': 'באיחור של {days} ימים',

  'count.person': 'אנשים',
  'count.institution': 'מוסדות',
  'count.program': 'תוכניות',
  'count.cohort': 'מחזורים',
  'count.placement': 'שיבוצים',
  'count.fellowship': 'מלגות',

  'breakdown.status': 'שיבוצים לפי סטטוס',
  'breakdown.kind': 'תוכניות לפי סוג',
  'breakdown.tech': 'תוכניות לפי תחום טכנולוגי',
  'breakdown.direction': 'שיבוצים לפי כיוון',
  'breakdown.empty': 'עדיין אין מה לספור.',

  'cohorts.title': 'מחזורים',
  'cohorts.name': 'שם',
  'cohorts.program': 'תוכנית',
  'cohorts.dates': 'תאריכים',
  'cohorts.capacity': 'קיבולת',
  'cohorts.placements': 'שיבוצים',
  'cohorts.empty': 'אין עדיין מחזורים — צרו מחזור או ייבאו רשימת משתתפים.',
  'cohorts.count': '{count} מחזורים',

  'cohort.back': 'מחזורים',
  'cohort.program': 'תוכנית',
  'cohort.dates': 'תאריכים',
  'cohort.host': 'מוסד מארח',
  'cohort.location': 'מיקום',
  'cohort.capacity': 'ניצול הקיבולת',
  'cohort.capacityOf': '{used} מתוך {capacity}',
  'cohort.noCapacity': '{used} משובצים · לא הוגדרה קיבולת',
  'cohort.roster': 'רשימת משתתפים',
  'cohort.rosterEmpty': 'עדיין אין משובצים במחזור הזה — הוסיפו שיבוצים או ייבאו רשימת משתתפים.',

  'roster.name': 'שם',
  'roster.home': 'מוסד בית',
  'roster.host': 'מוסד מארח',
  'roster.direction': 'כיוון',
  'roster.role': 'תפקיד',
  'roster.status': 'סטטוס',
  'roster.screening': 'בדיקה ביטחונית',

  'people.title': 'אנשים',
  'people.search': 'סינון אנשים',
  'people.searchPlaceholder': 'הקלידו שם או כתובת דוא״ל…',
  'people.name': 'שם',
  'people.email': 'דוא״ל',
  'people.home': 'מוסד בית',
  'people.empty': 'אין עדיין אנשים — הוסיפו אדם או ייבאו רשימה.',
  'people.noMatch': 'אין התאמות ל„{query}”. בדקו את האיות או נסו בכתב האחר.',
  'people.range': '{from}–{to} מתוך {total}',
  'people.previous': 'הקודם',
  'people.next': 'הבא',

  'soon.title': '{section} — בקרוב',
  'soon.body':
    'החלק הזה של Exchange Desk עדיין בבנייה. בינתיים כלי שורת הפקודה exdesk מנהל את הרשומות האלה באותו מסד נתונים.',

  'error.title': 'משהו השתבש',
  'error.openDb': 'לא ניתן לפתוח את מסד הנתונים',
  'error.retry': 'ניסיון נוסף',
  'error.unknown': 'אירעה שגיאה בלתי צפויה.',
  'common.none': '—',

  'status.nominated': 'הוצע',
  'status.applied': 'הוגשה בקשה',
  'status.accepted': 'התקבל',
  'status.confirmed': 'אושר',
  'status.active': 'פעיל',
  'status.completed': 'הושלם',
  'status.withdrawn': 'בוטל',
  'status.declined': 'נדחה',

  'screening.not_required': 'לא נדרשת',
  'screening.pending': 'ממתינה',
  'screening.cleared': 'אושרה',
  'screening.flagged': 'סומנה לבירור',

  'role.participant': 'משתתף/ת',
  'role.mentor': 'מנטור/ית',
  'role.staff': 'צוות',

  'kind.joint_training': 'הכשרה משותפת',
  'kind.academic_exchange': 'חילופים אקדמיים',
  'kind.fellowship': 'מלגה',
  'kind.collaborative_project': 'פרויקט משותף',

  'tech.ai': 'בינה מלאכותית',
  'tech.advanced_computing': 'מחשוב מתקדם',
  'tech.semiconductors': 'מוליכים למחצה',
  'tech.energy': 'אנרגיה',
  'tech.space': 'חלל',
  'tech.robotics': 'רובוטיקה',
  'tech.other': 'אחר',

  'direction.domestic': 'מקומי',

  'deadline.visa_expiry': 'תוקף ויזה',
  'deadline.tranche_due': 'תשלום מלגה',
  'deadline.report_due': 'הגשת דוח',
  'deadline.cohort_start': 'פתיחת מחזור',
  'deadline.checklist_due': 'פריט ברשימת תיוג',
};

export const dictionaries: Record<Lang, Partial<Dictionary>> = { en, he };

export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; an unknown placeholder is left as written. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * The label for `key` in `lang`, falling back to English, then to the key itself (so a
 * missing label is visible in development but never crashes a screen).
 */
export function translate(lang: Lang, key: string, params?: Params, dicts = dictionaries): string {
  const own = dicts[lang] as Record<string, string | undefined>;
  const english = dicts.en as Record<string, string | undefined>;
  return interpolate(own[key] ?? english[key] ?? key, params);
}

/**
 * The label of a value of a closed list (`status`, `role`, `tech`…): its translation, or
 * for a value this version does not know (e.g. from a newer database) the value itself
 * made readable ("some_value" → "Some value").
 */
export function enumLabel(lang: Lang, group: string, value: string, dicts = dictionaries): string {
  const key = `${group}.${value}`;
  const label = translate(lang, key, undefined, dicts);
  if (label !== key) return label;
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The language to start in: the saved choice, else the system's, else English. */
export function initialLang(saved: string | null, systemLanguages: readonly string[]): Lang {
  if (saved === 'en' || saved === 'he') return saved;
  for (const tag of systemLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'he' || base === 'iw') return 'he';
    if (base === 'en') return 'en';
  }
  return 'en';
}

export function dirOf(lang: Lang): 'ltr' | 'rtl' {
  return LANGS.find((l) => l.code === lang)?.dir ?? 'ltr';
}
