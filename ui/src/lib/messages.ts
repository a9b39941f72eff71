// Core's messages in the UI language, from their code and parameters (never from the
// English sentence). messageCodes.json is core's catalogue (written by a core test):
// every code with its English sentence and parameter names. English renders that
// sentence; Hebrew has its own below. An unknown code (a newer core) shows core's
// English message as it came.

import type { Problem } from '../bindings/Problem';
import catalogue from './messageCodes.json';
import { formatDate, formatMoney, formatNumber } from './format';
import { enumLabel, translate, type Lang } from './i18n';

export const CODES = catalogue as Record<string, { en: string; params: string[] }>;

/**
 * Hebrew sentences. Placeholders: `{name}` the value (isolated, so a Latin value keeps
 * its place in a right-to-left sentence), `{name:q}` the value in quotes, `{name:n}` a
 * number, `{name:date}` an ISO date, `{name:status}` / `{name:screening}` a value of
 * that list, `{name:entity}` the name of a kind of record, `{name:money}` an amount in
 * minor units of the `currency` parameter.
 */
export const HE: Record<string, string> = {
  'app.damaged': 'קובץ מסד הנתונים פגום ({problems}); יש לשחזר גיבוי.',
  'app.internal': 'אירעה שגיאה פנימית ב־Exchange Desk ({detail}); דבר לא שונה.',
  'backup.damaged': 'הקובץ {path} פגום: {detail}',
  'backup.is_folder': '{path} היא תיקייה, לא קובץ גיבוי',
  'backup.keep_range': 'יש לשמור בין 1 ל־{max:n} גיבויים (הוזן {keep})',
  'backup.locked': 'הקובץ {path} מוצפן: יש להזין את הסיסמה שלו',
  'backup.missing': 'הקובץ {path} אינו קיים',
  'backup.not_a_database': 'הקובץ {path} אינו גיבוי של Exchange Desk (אינו מסד נתונים)',
  'backup.not_a_file': '{path} אינו קובץ (צינור או התקן), לא קובץ גיבוי',
  'backup.not_ours': 'הקובץ {path} אינו מסד נתונים של Exchange Desk',
  'backup.onto_itself': 'הגיבוי אינו יכול להחליף את מסד הנתונים עצמו',
  'backup.wrong_passphrase': 'הסיסמה אינה פותחת את {path} (או שהקובץ פגום)',
  'cli.already_encrypted': 'מסד הנתונים כבר מוצפן; לשינוי הסיסמה יש להשתמש ב־rekey',
  'cli.bad_date_order': '{value:q} אינו dmy, mdy או ymd',
  'cli.bad_format': '{value:q} אינו csv, xlsx, pdf או json',
  'cli.bad_json': 'JSON לא תקין: {error}',
  'cli.bad_lang': '{value:q} אינו en או he',
  'cli.bad_mapping': 'הקובץ {path} אינו אובייקט JSON של כותרת → שדה: {error}',
  'cli.merge_people_only': 'אפשר למזג אנשים בלבד',
  'cli.no_terminal': 'אין מסוף לשאול בו סיסמה: יש להגדיר {variable}',
  'cli.not_encrypted': 'מסד הנתונים אינו מוצפן; יש להשתמש ב־encrypt',
  'cli.passphrases_differ': 'שתי הסיסמאות שונות',
  'cli.resolve_how': 'יש לבחור --restore או --dismiss',
  'cli.unknown_format': 'אי אפשר לדעת את הפורמט של {path}; יש לציין --format',
  'cohort.full': 'המחזור {cohort:q} מלא ({used:n} מתוך {capacity:n} מקומות תפוסים); שיבוץ מעבר לקיבולת מחייב אישור מפורש.',
  'cohort.name_ambiguous': '{n:n} מחזורים נקראים {name:q}; יש לציין את מזהה המחזור',
  'cohort.name_taken': 'לתוכנית כבר יש מחזור בשם {name:q}',
  'conflict.nothing_to_restore': 'אין מה לשחזר ברשומה הזו; אפשר לסגור אותה',
  'conflict.resolved': 'ההתנגשות הזו כבר טופלה',
  'db.cannot_check': 'אי אפשר לבדוק את {path}: {error}',
  'db.check_failed': 'בקובץ {path} נמצאו בעיות:\n{problems}',
  'db.in_memory_backups': 'למסד נתונים בזיכרון אין תיקיית גיבויים',
  'db.in_memory_encrypt': 'אי אפשר להצפין מסד נתונים בזיכרון',
  'db.in_memory_restore': 'אי אפשר לשחזר מסד נתונים בזיכרון',
  'db.locked': 'הקובץ {path} מוצפן: יש להזין את הסיסמה שלו כדי לפתוח אותו',
  'db.not_a_database': 'הקובץ {path} אינו מסד נתונים של Exchange Desk (או שהוא פגום או מוצפן)',
  'db.not_encrypted': 'מסד הנתונים אינו מוצפן',
  'db.not_ours': 'הקובץ {path} אינו מסד נתונים של Exchange Desk: יש בו טבלאות של תוכנה אחרת, והוא נשאר כפי שהיה (כדאי לבדוק את נתיב מסד הנתונים)',
  'db.wrong_passphrase': 'הסיסמה אינה פותחת את {path} (או שהקובץ פגום)',
  'demo.bad_record': 'נתוני ההדגמה: {entity} מס׳ {i} ({key}): {error}',
  'demo.bad_reference': 'נתוני ההדגמה: {entity} מס׳ {i}: {error}',
  'demo.not_empty': 'אפשר לטעון את נתוני ההדגמה רק למסד נתונים ריק',
  'device.key_damaged': 'מפתח החתימה של המחשב הזה פגום',
  'device.missing': 'למחשב הזה אין זהות מכשיר',
  'error.database': 'שגיאת מסד נתונים: {detail}',
  'error.db_busy': 'מסד הנתונים תפוס: תוכנה אחרת (האפליקציה או exdesk אחר) כותבת אליו; דבר לא שונה, יש לנסות שוב בעוד רגע',
  'error.disk_full': 'הדיסק מלא ולכן השינוי לא נשמר; יש לפנות מקום ולנסות שוב ({detail})',
  'error.disk_io': 'לא ניתן לכתוב לקובץ מסד הנתונים או לקרוא ממנו: האם הדיסק מלא או שהתיקייה לקריאה בלבד? ({detail})',
  'error.io': '{detail}',
  'error.json': 'שגיאת JSON: {detail}',
  'error.migration': 'עדכון מבנה מסד הנתונים נכשל: {detail}',
  'error.missing_database': 'אין מסד נתונים ב־{path}',
  'error.newer_schema': 'הקובץ {path} נכתב בגרסה חדשה יותר של Exchange Desk (מבנה {found}, גרסה זו מכירה עד {supported}); הוא לא שונה: יש לעדכן את Exchange Desk כדי לפתוח אותו.',
  'error.not_found': 'לא נמצאה רשומה מסוג {entity:entity} עם המזהה {id}',
  'fellowship.paid_on_unpaid': 'תאריך תשלום אפשרי רק לתשלום ששולם',
  'fellowship.placement_person': 'השיבוץ שייך לאדם אחר',
  'fellowship.tranches_over_award': 'סכום התשלומים ({total_minor:money}) גבוה מסכום המלגה ({award_minor:money}).',
  'field.cannot_clear': 'שדה חובה (אי אפשר לרוקן אותו)',
  'field.derived': 'השדה מחושב על ידי Exchange Desk ואי אפשר לקבוע אותו',
  'field.min_entries': 'יש לבחור לפחות {min:n} ערכים',
  'field.one_entry': 'יש לבחור לפחות ערך אחד',
  'field.required': 'שדה חובה',
  'file.output_is_folder': '{path} היא תיקייה, לא קובץ',
  'file.output_is_database': '{path} הוא מסד הנתונים עצמו; יש לכתוב לקובץ אחר',
  'file.output_no_folder': 'אי אפשר לכתוב את {path}: התיקייה {folder} אינה קיימת',
  'file.template_extension': 'שם הקובץ {path} חייב להסתיים ב־.csv או ב־.xlsx (או לציין --format csv או xlsx)',
  'file.template_format': 'תבנית היא גיליון csv או xlsx, לא {format}',
  'folder.missing': 'התיקייה {path} אינה קיימת: יש ליצור אותה, או לבחור את התיקייה ששירות סנכרון הקבצים מעדכן',
  'folder.not_absolute': '{path} אינו נתיב מלא: יש לבחור את התיקייה מראשית הנתיב (למשל /home/you/Sync)',
  'folder.not_folder': '{path} אינו תיקייה',
  'folder.packages_refused': '{n:n} חבילות בתיקייה המשותפת נדחו (כל אחת מופיעה למעלה עם הסיבה); שאר החבילות יובאו',
  'gen.cancelled': 'יצירת הנתונים בוטלה; דבר לא נכתב.',
  'gen.not_empty': 'אפשר ליצור נתונים סינתטיים רק במסד נתונים ריק',
  'gen.people_range': 'יש להזין מספר בין 1 ל־{max:n} (הוזן {people})',
  'gen.stopped': 'מחולל הנתונים נעצר באופן לא צפוי',
  'import.bad_encoding': 'הקובץ מוצהר כ־{encoding} אבל מכיל תווים לא תקינים',
  'import.bad_mapping': '{target:q} (לעמודה {header:q}) אינו שדה שייבוא של {entity:entity} יכול למלא',
  'import.mixed_encoding': 'הקובץ הוא טקסט UTF-8 חוץ משורה {line:n}, שיש בה בתים בקידוד אחר ({bytes}; הודבקו מקובץ ישן?): יש לתקן את השורה, או לשמור את כל הקובץ שוב כ־״CSV UTF-8״',
  'import.not_hebrew_legacy': 'הקובץ אינו בקידוד UTF-8 ומכיל בתים שאינם טקסט עברי בקידוד Windows-1255; יש לשמור אותו בפורמט ״CSV UTF-8״ ולייבא שוב',
  'import.binary': 'זה אינו קובץ טקסט או גיליון אלקטרוני (הוא מכיל נתונים בינאריים)',
  'import.cancelled': 'הייבוא בוטל; דבר לא נכתב.',
  'import.cannot_read': 'אי אפשר לקרוא את {path}: {error}',
  'import.cohort_untold': 'הקובץ אינו מציין מחזור (אין עמודת מחזור) ואי אפשר להסיק אותו ממנו; יש לציין את המחזור (--cohort, או המחזור של הייבוא)',
  'import.no_cohort_sheet': 'הקובץ אינו מציין מחזור, ושם הגיליון שלו {sheet:q} מתאים ל־{n:n} מחזורים ({names}); יש לציין את המחזור (--cohort, או המחזור של הייבוא)',
  'import.no_cohort_unknown': 'הקובץ אינו מציין מחזור, ושורה {row:n} (שורה {file_row:n} בקובץ: {who}) אינה אדם שכבר רשום, ולכן הקובץ אינו רשימת משתתפים של מחזור; יש לציין את המחזור (--cohort, או המחזור של הייבוא)',
  'import.no_cohort_row': 'הקובץ אינו מציין מחזור, ושורה {row:n} (שורה {file_row:n} בקובץ: {who}) אינה משובצת במחזור של השורות שמעליה, ולכן הקובץ אינו רשימת משתתפים של מחזור אחד; יש לציין את המחזור (--cohort, או המחזור של הייבוא)',
  'import.no_cohort_several': 'הקובץ אינו מציין מחזור, וכל שורה היא שיבוץ בכל אחד מהמחזורים {names}; יש לציין את המחזור (--cohort, או המחזור של הייבוא)',
  'import.cohort_from_rows': 'בקובץ אין מחזור: כל שורה בו היא כבר שיבוץ במחזור {name:q} (רשימת משתתפים שלו), ולכן השורות מעדכנות את המחזור הזה',
  'import.cohort_from_sheet': 'בקובץ אין מחזור: השורות נכנסות למחזור {name:q}, שעל שמו נקרא הגיליון {sheet:q}',
  'import.cohort_required': 'שדה חובה: שם המחזור או המזהה שלו',
  'import.cohorts_named': '{n:n} מחזורים נקראים {name:q}; יש לציין את מזהה המחזור',
  'import.column_ignored': 'העמודה {header:q} אינה שדה מוכר ולכן אינה מיובאת',
  'import.columns_clash': 'העמודות {first:q} ו־{header:q} מתאימות שתיהן לשדה {field}; יש לסמן אחת מהן כ„התעלמות”',
  'import.same_field_twice': 'העמודות {first:q} ({value1:q}) ו־{second:q} ({value2:q}) נותנות שתיהן את השדה {field} של שורה זו; יש לרוקן אחד משני התאים או לסמן אחת העמודות כ„התעלמות”',
  'import.csv_line': 'אי אפשר לקרוא את שורה {line:n} כ־CSV: {error}',
  'import.date_ambiguous': '{value:q} יכול להיות יום/חודש או חודש/יום; יש לבחור את סדר התאריכים',
  'import.date_not_year_first': 'תאריכים כמו {value:q} (שורה {row:n}) אינם מתחילים בשנה (סדר התאריכים שנבחר) ויכולים להיות יום/חודש או חודש/יום; יש לבחור סדר יום/חודש או חודש/יום.',
  'import.date_order_unknown': 'תאריכים כמו {value:q} (שורה {row:n}) יכולים להיות יום/חודש או חודש/יום ושום דבר בקובץ אינו מכריע; יש לבחור את סדר התאריכים.',
  'import.direction_ignored': 'העמודה {header:q} אינה מיובאת: הכיוון נגזר מהמוסדות',
  'import.empty': 'הקובץ ריק',
  'import.header_repeated': 'השורות {rows} חוזרות על שורת הכותרות (שורת כותרות שנייה, או כותרות שהועתקו עם שורות נוספות): הן אינן נקראות',
  'import.institutions_named': '{n:n} מוסדות נקראים {name:q}; יש לציין את מזהה המוסד',
  'import.institution_ambiguous': '{name:q} יכול להיות כל אחד מאלה: {candidates}; יש לכתוב את השם המלא',
  'import.mixed_date_orders': 'בקובץ מעורבים סדרי תאריכים: {value1:q} (שורה {row1:n}) כתוב יום/חודש אבל {value2:q} (שורה {row2:n}) כתוב חודש/יום; יש לתקן את הקובץ או לבחור את סדר התאריכים.',
  'import.no_cohort': 'אין מחזור בשם {name:q}',
  'import.no_columns': 'אף עמודה בקובץ אינה שדה של {entity:entity} (כותרות: {headers}; שורת הכותרות נבדקת ב־30 השורות הראשונות); יש לבדוק את שורת הכותרות או לקבוע התאמה',
  'import.bad_json': 'הקובץ מתחיל כ־JSON אך אי אפשר לקרוא אותו כ־JSON (שורה {line:n}, עמודה {column:n}: {error})',
  'import.json_not_records': 'קובץ JSON צריך להכיל מערך של רשומות, אובייקט אחד לכל שורה (כפי ש־`exdesk person list --json` מדפיס אותן)',
  'import.no_institution': 'אין מוסד בשם {name:q}; יש להוסיף אותו קודם',
  'import.no_record': 'אין {entity:entity} שהמזהה או השם שלו {name:q}',
  'import.not_a_date': '{value:q} אינו תאריך (יש לכתוב YYYY-MM-DD, D/M/YYYY או M/D/YYYY)',
  'import.open_quote': 'שורה {line:n}: תא מתחיל במירכאות (") שאינן נסגרות, כך ששאר הקובץ נבלע בו; יש לתקן את המירכאות ולייבא שוב',
  'import.records_named': '{n:n} רשומות {entity:entity} נקראות {name:q}; יש לציין את המזהה',
  'import.cell_error': 'התא בעמודה {header:q} מכיל את שגיאת הגיליון {error} (נוסחה שנכשלה) ולא ערך; יש לתקן או לרוקן אותו בגיליון',
  'import.cell_formula': 'התא בעמודה {header:q} מכיל את הנוסחה {formula} בלי ערך מחושב (הקובץ נכתב בתוכנה שאינה מחשבת נוסחאות); יש לפתוח ולשמור אותו בתוכנת גיליונות',
  'import.cell_nested': 'הערך של {header:q} הוא אובייקט או רשימה מקוננים של JSON, לא ערך אחד או רשימת ערכים',
  'import.extra_cells': 'בשורה זו {cells:n} ערכים אך בשורת הכותרות {columns:n} עמודות: האם ערך מכיל את התו המפריד ({delimiter}) בלי מרכאות? ערכיה היו נכנסים לעמודות הלא נכונות',
  'import.rows_above_header': 'שורת הכותרות היא שורה {row:n}: {n:n} השורות שמעליה (כותרת או הערה) אינן נקראות',
  'import.same_email': 'אותה כתובת דוא״ל כמו בשורה {first:n} (שורה {first_file:n} בקובץ)',
  'import.same_name': 'לשורה {row:n} (שורה {file:n} בקובץ) אותו שם כמו לשורה {first_row:n} (שורה {first_file:n} בקובץ): {name}',
  'import.same_orcid': 'אותו מזהה ORCID כמו בשורה {first:n} (שורה {first_file:n} בקובץ)',
  'import.same_person_email': 'שורה {first:n} (שורה {first_file:n} בקובץ) כבר מעדכנת את {person} (לפי {first_key}); גם שורה זו מתאימה לאותו אדם, לפי כתובת הדוא״ל ({email}): יש לאחד את שתי השורות או לתקן את הדוא״ל',
  'import.same_person_orcid': 'שורה {first:n} (שורה {first_file:n} בקובץ) כבר מעדכנת את {person} (לפי {first_key}); גם שורה זו מתאימה לאותו אדם, לפי מזהה ה־ORCID ({orcid}): יש לאחד את שתי השורות או לתקן את מזהה ה־ORCID',
  'import.two_people': 'השורה מתאימה לשני אנשים שונים: כתובת הדוא״ל {email} שייכת ל־{email_person}, אבל מזהה ה־ORCID {orcid} שייך ל־{orcid_person}',
  'import.renames_by_email': 'שורה {row:n} (שורה {file_row:n} בקובץ: {name}) מתאימה ל־{person} לפי כתובת הדוא״ל {email}: השם שלו או שלה ישתנה; כדאי לבדוק את הדוא״ל',
  'import.renames_by_orcid': 'שורה {row:n} (שורה {file_row:n} בקובץ: {name}) מתאימה ל־{person} לפי מזהה ORCID {orcid}: השם שלו או שלה ישתנה; כדאי לבדוק את מזהה ה־ORCID',
  'import.sheet_chosen': 'נקרא הגיליון {sheet:q}: בגיליונות שלפניו ({others}) אין עמודה לייבוא',
  'import.unnamed_column': 'בעמודה {column} יש ערכים אבל אין לה כותרת: היא אינה מיובאת',
  'import.xls': 'זהו קובץ Excel ישן (.xls); יש לשמור אותו כ־.xlsx או CSV ולייבא את הקובץ החדש',
  'import.xlsx_no_sheet': 'בגיליון האלקטרוני אין גיליון',
  'import.xlsx_open': 'אי אפשר לפתוח את הגיליון האלקטרוני: {error}',
  'import.xlsx_sheet': 'אי אפשר לקרוא את הגיליון {sheet:q}: {error}',
  'import.ods': 'זהו גיליון OpenDocument (LibreOffice) שאי אפשר לקרוא; יש לשמור אותו כ־.xlsx או CSV ולייבא את הקובץ החדש',
  'import.zip_no_workbook': 'זהו ארכיון zip שאין בו גיליון אלקטרוני; יש לחלץ אותו ולייבא את קובץ ה־.xlsx או ה־CSV שבתוכו',
  'import.word_document': 'זהו מסמך Word ולא גיליון אלקטרוני; יש להעתיק את הטבלה שבו לגיליון, לשמור אותו כ־.xlsx או CSV ולייבא אותו',
  'import.pdf': 'זהו מסמך PDF ולא גיליון אלקטרוני; יש לבקש מהשולח את הטבלה כ־.xlsx או CSV',
  'import.xlsx_damaged': 'קובץ ה־.xlsx פגום או חלקי (הורדה או העתקה שנקטעו?); יש להוריד או לשמור אותו שוב',
  'import.no_such_sheet': 'בחוברת אין גיליון בשם {sheet:q} (הגיליונות בה: {sheets})',
  'import.sheet_empty': 'הגיליון {sheet:q} ריק',
  'import.sheet_not_workbook': 'אפשר לבחור גיליון ({sheet:q}) רק בחוברת (.xlsx), והקובץ הזה אינו חוברת',
  'import.sheet_not_read': 'גם בגיליון {sheet:q} יש עמודות של {entity:entity} ({n:n} שורות) והוא לא נקרא: יש לייבא אותו בנפרד (לבחור את הגיליון)',
  'import.hidden_sheet_not_read': 'גם בגיליון המוסתר {sheet:q} יש עמודות של {entity:entity} ({n:n} שורות) והוא לא נקרא: יש לייבא אותו בנפרד (לבחור את הגיליון)',
  'item.unknown_field': 'אינו שדה של פריט זה',
  'list.bad_filter': 'אי אפשר לסנן רשומות {entity:entity} לפי {field}',
  'list.bad_sort': 'אי אפשר למיין רשומות {entity:entity} לפי {field}',
  'list.not_number': '{value:q} אינו מספר',
  'merge.self': 'אי אפשר למזג אדם עם עצמו',
  'package.bad_created_at': 'בחבילה ערך created_at פגום ({entity})',
  'package.bad_key': 'מפתח החתימה של החבילה פגום',
  'package.bad_signature': 'החתימה של החבילה אינה תואמת: החבילה שונתה או שלא נוצרה במכשיר ששמו מופיע בה',
  'package.checksum': 'החבילה פגומה: סכום הביקורת שלה אינו תואם את התוכן',
  'package.damaged_compressed': 'החבילה פגומה (התוכן הדחוס)',
  'package.inflated': 'תוכן החבילה מתרחב ליותר מ־{limit_mb} MB, הרבה יותר ממה שרשומות נדחסות: החבילה נדחתה כפגומה או זדונית',
  'package.damaged_contents': 'תוכן החבילה פגום: {error}',
  'package.damaged_payload': 'החבילה פגומה (התוכן)',
  'package.format': 'זו אינה חבילת סנכרון של Exchange Desk (פורמט {format:q})',
  'package.incomplete': 'בחבילה רשומת {entity:entity} חלקית ({id}, חסר {field}); יש לייבא קודם את החבילה המלאה של השולח',
  'package.invalid_field': 'בחבילה ערך לא תקין בשדה {entity}.{field}: {problem}',
  'package.key_mismatch': 'החבילה טוענת שהיא מגיעה מ־{device:q} אבל חתומה במפתח אחר (טביעת אצבע {fingerprint}); נדחתה',
  'package.missing_records': 'החבילה מפנה לרשומות שאין במחשב הזה ({records}); יש לייבא קודם את החבילה המלאה של השולח',
  'package.newer': 'החבילה בגרסת פורמט {version}, חדשה מזו שהתוכנה קוראת ({supported}); יש לעדכן את Exchange Desk',
  'package.for_this_device': '{peer:q} הוא המחשב הזה; יש לתת את המזהה או השם של המחשב שהחבילה מיועדת לו',
  'package.for_name_shared': '{n:n} מחשבים נקראים {peer:q}; יש לתת את מזהה המכשיר של זה שהחבילה מיועדת לו',
  'package.not_a_package': 'זו אינה חבילת סנכרון של Exchange Desk, או שהיא פגומה או קטועה',
  'package.not_signed': 'החבילה אינה חתומה',
  'package.own': 'החבילה הזו נכתבה במחשב הזה.',
  'package.unknown_field': 'בחבילה שדה שהתוכנה אינה מכירה: {entity}.{field}',
  'package.unreadable': 'אי אפשר לקרוא את הקובץ',
  'package.untrusted': 'החבילה מגיעה מ־{device:q}, מכשיר שעדיין אינו מהימן (טביעת אצבע {fingerprint}); יש לבדוק את טביעת האצבע מול בעליו ולאשר אותו',
  'partner_copy.field': 'השדה {field} של רשומת {entity:entity} זו נשמר אצל הרכז/ת: המחשב הזה קיבל את הרשומה בחבילה מוגבלת למחזור, שאינה כוללת את השדה; אפשר לבקש מהרכז/ת לשנות אותו',
  'partner_copy.fields': 'השדות {fields} של רשומת {entity:entity} זו נשמרים אצל הרכז/ת: המחשב הזה קיבל את הרשומה בחבילה מוגבלת למחזור, שאינה כוללת אותם; אפשר לבקש מהרכז/ת לשנות אותם',
  'passphrase.current_wrong': 'הסיסמה הנוכחית שגויה; דבר לא שונה.',
  'passphrase.too_short': 'יש לבחור סיסמה של 8 תווים לפחות',
  'pdf.font': 'אי אפשר לקרוא את הגופן המצורף ל־PDF',
  'pdf.page_size': 'גודל עמוד שגוי',
  'person.email_taken': '{email} כבר רשומה כדוא״ל של {person}',
  'person.name_scripts_differ': 'השם הפרטי {given:q} ושם המשפחה {family:q} כתובים בכתבים שונים: יש לתת את שניהם באותיות לטיניות, את שניהם בעברית, או כל אחד בשני הכתבים',
  'person.needs_name': 'לאדם נדרשים שם פרטי ושם משפחה, באותיות לטיניות או בעברית',
  'person.orcid_taken': '{orcid} כבר רשום כמזהה ORCID של {person}',
  'placement.screening_gate': '{program:q} היא תוכנית רגישה: יש לאשר את הבדיקה הביטחונית לפני שהשיבוץ יוכל לעבור ל„{status:status}” (מצב הבדיקה: {screening:screening}).',
  'placement.screening_kept': '{program:q} היא תוכנית רגישה: שיבוץ במצב „{status:status}” נשאר עם בדיקה ביטחונית מאושרת; יש להחזיר אותו למצב קודם או לסמן שפרש לפני שינוי מצב הבדיקה ל„{screening:screening}”.',
  'placement.screening_not_cleared': '{program:q} היא תוכנית רגישה: שיבוץ במצב „{status:status}” צריך בדיקה ביטחונית מאושרת, אבל מצב הבדיקה שלו הוא „{screening:screening}”; יש להחזיר אותו למצב קודם, לסמן שפרש או לאשר את הבדיקה.',
  'placement.twice': 'האדם כבר משובץ במחזור {cohort:q}',
  'quota.one_country': '{value:q} נשאר בתוך מדינה אחת: שיבוצים כאלה נספרים כפנים־ארציים, ולכן יש לכתוב domestic',
  'quota.not_direction': '{value:q} אינו כיוון בתבנית US->IL',
  'quota.not_year': '{value:q} אינה שנה אקדמית בתבנית 2026/27',
  'quota.twice': 'מכסה לשנה {year} בכיוון {direction} מופיעה פעמיים',
  'record.id_changed': 'אי אפשר לשנות את המזהה של רשומה',
  'record.id_exists': 'כבר קיימת רשומת {entity:entity} עם המזהה {id}',
  'record.in_use': 'הרשומה ({entity:entity}) עדיין בשימוש ב־{users}; יש לשנות או למחוק אותן קודם',
  'record.not_object': 'נדרש אובייקט JSON עם השדות של {entity:entity}',
  'record.unknown_field': 'אינו שדה של {entity:entity} (השדות: {fields})',
  'recover.already': 'הרשומה שנמחקה ({entity:entity}) כבר שוחזרה בתור {new_id}',
  'recover.ref_gone': 'הרשומה ({target:entity}) {id} שאליה השתייכה כבר אינה קיימת; יש לשחזר אותה קודם',
  'ref.missing': 'לא נמצאה רשומה מסוג {target:entity} עם המזהה {id}',
  'restore.encrypted_again': 'הקובץ {backup} אינו מוצפן, אבל מסד הנתונים שהוחלף היה מוצפן: מסד הנתונים המשוחזר הוצפן באותה סיסמה (קובץ הגיבוי עצמו נשאר לא מוצפן)',
  'restore.not_encrypted': 'מסד הנתונים היה מוצפן אבל {backup} אינו מוצפן, ולא ניתנה סיסמה להצפנתו: מסד הנתונים המשוחזר אינו מוצפן; יש להצפין אותו שוב',
  'roster.redacted_left_out': '--redact השמיט את העמודות {columns}: יש בהן שדות רגישים',
  'roster.no_columns': 'לא נותרו עמודות לייצוא',
  'roster.unknown_column': '{key:q} אינה עמודה של הרשימה (העמודות: {columns})',
  'rule.date_before_start': 'מוקדם מתאריך ההתחלה ({start:date}).',
  'status.backward': 'אי אפשר להעביר מ„{from:status}” ל„{to:status}”, שלב מוקדם יותר; כדי להחזיר לאחור יש לפתוח מחדש את השיבוץ.',
  'status.from_final': 'אי אפשר להעביר מ„{from:status}” ל„{to:status}”: זהו מצב סופי; כדי לשנות אותו יש לפתוח מחדש את השיבוץ.',
  'value.control_char': 'מכיל את תו הבקרה U+{char}',
  'value.date_out_of_range': '{value:q} מחוץ לטווח (השנים 1900 עד 2200)',
  'value.empty': 'אין להשאיר ריק',
  'value.hebrew_in_latin': 'מכיל אותיות עבריות; את השם בעברית יש לכתוב בשדה העברי',
  'value.id_not_text': 'נדרש מזהה רשומה (טקסט)',
  'value.listed_twice': '{id} מופיע פעמיים',
  'value.not_a_date': '{value:q} אינו תאריך קיים',
  'value.not_bool': 'נדרש כן או לא, לא {kind}',
  'value.not_country': '{value:q} אינו קוד מדינה בן שתי אותיות (למשל US, IL)',
  'value.not_currency': '{value:q} אינו קוד מטבע (למשל USD, ILS)',
  'value.not_email': '{value:q} אינה כתובת דוא״ל',
  'value.not_hebrew': 'יש לכתוב באותיות עבריות',
  'value.not_id': '{value:q} אינו מזהה רשומה',
  'value.not_id_list': 'נדרשת רשימת מזהים, לא {kind}',
  'value.not_iso_date': '{value:q} אינו תאריך בתבנית YYYY-MM-DD',
  'value.not_list': 'נדרשת רשימה, לא {kind}',
  'value.not_object': 'נדרש אובייקט, לא {kind}',
  'value.not_one_line': 'יש לכתוב שורה אחת (נמצא תו הבקרה U+{char})',
  'value.not_one_of': '{value:q} אינו אחד מאלה: {allowed}',
  'value.not_orcid': '{value:q} אינו מזהה ORCID (בתבנית 0000-0002-1825-0097)',
  'value.not_phone': '{value:q} אינו מספר טלפון (ספרות, רווחים ו־+ - ( ) בלבד, 1 עד 20 ספרות)',
  'value.not_ror.character': '{value:q} אינו מזהה ROR: תו לא צפוי',
  'value.not_ror.check_digits': '{value:q} אינו מזהה ROR: ספרות הביקורת שגויות',
  'value.not_ror.digits': '{value:q} אינו מזהה ROR: שני התווים האחרונים חייבים להיות ספרות',
  'value.not_ror.shape': '{value:q} אינו מזהה ROR: נדרש 0 ואחריו 6 אותיות או ספרות ו־2 ספרות ביקורת',
  'value.not_text': 'נדרש טקסט, לא {kind}',
  'value.not_url': '{value:q} אינה כתובת אינטרנט שמתחילה ב־https://',
  'value.not_whole_number': 'יש להזין מספר שלם (הוזן {value})',
  'value.number_out_of_range': '{n:n} מחוץ לטווח (0 עד {max:n})',
  'value.orcid_check_digit': 'ספרת הביקורת של {value:q} שגויה (צפויה {expected})',
  'value.too_long': 'באורך {n:n} תווים; מותרים לכל היותר {max:n}',
};

/** English sentences of the UI where core's would read worse (money, dates in words). */
const EN: Record<string, string> = {
  'fellowship.tranches_over_award': 'The tranches add up to {total_minor:money}, more than the award of {award_minor:money}.',
  'rule.date_before_start': 'Comes before the start date ({start:date}).',
};

/** A value isolated (FSI…PDI) so it keeps its place in a sentence of the other direction. */
function iso(s: string): string {
  return `\u2068${s}\u2069`;
}

function fill(template: string, params: Record<string, string>, lang: Lang): string {
  return template.replace(/\{(\w+)(?::(\?|\w+))?\}/g, (whole, name: string, kind?: string) => {
    if (!(name in params)) return whole;
    const v = params[name] ?? '';
    switch (kind) {
      case '?':
        return JSON.stringify(v);
      case 'q':
        return lang === 'he' ? `„${iso(v)}”` : `"${v}"`;
      case 'n':
        return /^-?\d+$/.test(v) ? formatNumber(Number(v), lang) : v;
      case 'date':
        return formatDate(v, lang);
      case 'status':
      case 'screening':
        return enumLabel(lang, kind, v);
      case 'entity': {
        const label = translate(lang, `entity.${v}`);
        return label === `entity.${v}` ? v : label;
      }
      case 'money': {
        const code = (params.currency ?? '').trim().toUpperCase();
        const minor = Number(v);
        if (!/^[A-Z]{3}$/.test(code)) return formatNumber(minor, lang);
        try {
          return formatMoney(minor, code, lang);
        } catch {
          return formatNumber(minor, lang);
        }
      }
      default:
        return lang === 'he' ? iso(v) : v;
    }
  });
}

/**
 * A message of core in `lang` from its code and parameters; `fallback` (core's English
 * sentence) for a code this UI does not know.
 */
export function renderMessage(
  code: string | undefined,
  params: Record<string, string> | undefined,
  lang: Lang,
  fallback: string,
): string {
  const entry = code ? CODES[code] : undefined;
  if (!code || !entry) return fallback;
  const p = params ?? {};
  const template = lang === 'he' ? (HE[code] ?? EN[code] ?? entry.en) : (EN[code] ?? entry.en);
  // A sentence that needs a parameter the message lacks falls back to core's own.
  const needed = [...template.matchAll(/\{(\w+)(?::(?:\?|\w+))?\}/g)].map((m) => m[1] ?? '');
  if (needed.some((n) => !(n in p))) return fallback;
  return fill(template, p, lang);
}

/** A message of core: its English sentence, with its code and parameters when known. */
export type CoreText = { message: string; code?: string; params?: Problem['params'] };

/**
 * A problem's sentence in `lang` (without its field or row), starting with a capital
 * letter: core's English sentences start in lower case, to follow a field's name on the
 * command line ("email: …"), but shown alone they are sentences.
 */
export function problemText(p: CoreText, lang: Lang): string {
  const text = renderMessage(p.code, p.params as Record<string, string>, lang, p.message);
  return /^[a-z]/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
