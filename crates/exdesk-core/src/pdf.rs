//! Printable PDF rosters: A4 landscape, a title with the cohort's dates, a table that
//! repeats its header on every page, and page numbers. Text is shaped with rustybuzz
//! (through krilla) and each cell is laid out with the Unicode bidirectional algorithm,
//! so Hebrew names read right-to-left and mixed Hebrew/Latin text keeps its order. The
//! font (DejaVu Sans, Latin and Hebrew) is bundled in assets/fonts.

use std::cell::RefCell;
use std::collections::HashMap;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use unicode_bidi::{BidiInfo, Level};

use crate::error::{Error, Result};
use crate::msg;
use crate::roster::Roster;

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 842.0;
const PAGE_H: f32 = 595.0;
const MARGIN: f32 = 36.0;
const ROW_H: f32 = 17.0;
const CELL_PAD: f32 = 4.0;
const BODY_SIZE: f32 = 8.0;
/// A cell's text wraps onto at most this many lines (then ends in an ellipsis), each
/// `LINE_H` below the last: an e-mail or an institution's name stays readable in print.
const MAX_LINES: usize = 3;
const LINE_H: f32 = 10.0;

/// A font for drawing and for measuring.
struct Face {
    font: Font,
    /// The same font parsed once for shaping (measuring every cell).
    shaper: rustybuzz::Face<'static>,
    /// Shaping plans by direction and script, made once: making one is most of the
    /// work of shaping a short cell.
    plans: RefCell<HashMap<(rustybuzz::Direction, rustybuzz::Script), rustybuzz::ShapePlan>>,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Face> {
        let font =
            Font::new(data.to_vec().into(), 0).ok_or_else(|| Error::Damaged(msg!(PDF_FONT)))?;
        let shaper =
            rustybuzz::Face::from_slice(data, 0).ok_or_else(|| Error::Damaged(msg!(PDF_FONT)))?;
        Ok(Face {
            font,
            shaper,
            plans: RefCell::default(),
        })
    }

    /// The advance width of a run of one direction, in points.
    fn width(&self, text: &str, size: f32, rtl: bool) -> f32 {
        let face = &self.shaper;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        let key = (buffer.direction(), buffer.script());
        let mut plans = self.plans.borrow_mut();
        let plan = plans
            .entry(key)
            .or_insert_with(|| rustybuzz::ShapePlan::new(face, key.0, Some(key.1), None, &[]));
        let output = rustybuzz::shape_with_plan(face, plan, buffer);
        let units: i32 = output.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / face.units_per_em() as f32
    }
}

/// A line of text split into runs in visual (left-to-right) order.
struct Line {
    runs: Vec<(String, bool)>,
    width: f32,
    rtl: bool,
}

fn layout(face: &Face, text: &str, size: f32, max_width: f32) -> Line {
    let mut text = text.replace(['\n', '\r', '\t'], " ");
    loop {
        let line = visual_runs(face, &text, size);
        if line.width <= max_width || text.chars().count() <= 1 {
            return line;
        }
        // Shorten from the logical end and mark the cut.
        let keep = text.trim_end_matches('…').chars().count().saturating_sub(1);
        text = text.chars().take(keep).collect::<String>() + "…";
    }
}

/// `text` broken into lines no wider than `max_width`: at spaces, and inside a word too long
/// for a line after one of `@ . _ - /` where it can (e-mail addresses, hyphenated names),
/// else anywhere. Past `max_lines` the last line ends in an ellipsis.
/// `whole` is `text` measured on one line (most cells fit, and need no other measure).
fn wrap(
    face: &Face,
    text: &str,
    whole: Line,
    size: f32,
    max_width: f32,
    max_lines: usize,
) -> Vec<Line> {
    if whole.width <= max_width {
        return vec![whole];
    }
    let fits = |t: &str| visual_runs(face, t, size).width <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        current = word.to_owned();
        // A word wider than the line: break it where the most of it still fits.
        while !fits(&current) && current.chars().count() > 1 {
            let chars: Vec<char> = current.chars().collect();
            // The longest prefix that fits (at least one character), by bisection.
            let (mut lo, mut hi) = (1, chars.len() - 1);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if fits(&chars[..mid].iter().collect::<String>()) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            let mut n = lo;
            if let Some(at) = (1..n).rev().find(|&i| "@._-/".contains(chars[i - 1])) {
                n = at;
            }
            lines.push(chars[..n].iter().collect());
            current = chars[n..].iter().collect();
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        return lines
            .iter()
            .map(|l| visual_runs(face, l, size))
            .chain(std::iter::once(layout(face, &rest, size, max_width)))
            .collect();
    }
    lines.iter().map(|l| visual_runs(face, l, size)).collect()
}

/// Draws lines from the top line's baseline `y` down, each right-aligned when
/// `align_right` or right to left.
#[allow(clippy::too_many_arguments)]
fn draw_lines(
    surface: &mut Surface,
    face: &Face,
    lines: &[Line],
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    align_right: bool,
) {
    for (j, line) in lines.iter().enumerate() {
        let x = if align_right || line.rtl {
            x1 - line.width
        } else {
            x0
        };
        draw_line(surface, face, line, x, y + LINE_H * j as f32, size);
    }
}

/// The height of a row whose tallest cell has `lines` lines.
fn row_height(lines: usize) -> f32 {
    ROW_H + LINE_H * lines.saturating_sub(1) as f32
}

fn visual_runs(face: &Face, text: &str, size: f32) -> Line {
    let info = BidiInfo::new(text, None);
    let mut runs = Vec::new();
    let mut rtl = false;
    if let Some(para) = info.paragraphs.first() {
        rtl = para.level.is_rtl();
        let (levels, ranges) = info.visual_runs(para, para.range.clone());
        for range in ranges {
            let level: Level = levels[range.start];
            runs.push((text[range].to_owned(), level.is_rtl()));
        }
    }
    let width = runs.iter().map(|(t, r)| face.width(t, size, *r)).sum();
    Line { runs, width, rtl }
}

fn draw_line(surface: &mut Surface, face: &Face, line: &Line, x: f32, y: f32, size: f32) {
    let mut x = x;
    for (text, rtl) in &line.runs {
        let dir = if *rtl {
            TextDirection::RightToLeft
        } else {
            TextDirection::LeftToRight
        };
        surface.draw_text(
            Point::from_xy(x, y),
            face.font.clone(),
            size,
            text,
            false,
            dir,
        );
        x += face.width(text, size, *rtl);
    }
}

/// Draws text in a cell from `x0` to `x1`, right-aligned when `align_right`.
#[allow(clippy::too_many_arguments)]
fn draw_in(
    surface: &mut Surface,
    face: &Face,
    text: &str,
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    align_right: bool,
) {
    let line = layout(face, text, size, (x1 - x0).max(1.0));
    let x = if align_right || line.rtl {
        x1 - line.width
    } else {
        x0
    };
    draw_line(surface, face, &line, x, y, size);
}

fn fill(surface: &mut Surface, r: u8, g: u8, b: u8) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn rect(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32) {
    if let Some(r) = Rect::from_xywh(x, y, w, h) {
        let mut pb = PathBuilder::new();
        pb.push_rect(r);
        if let Some(path) = pb.finish() {
            surface.draw_path(&path);
        }
    }
}

/// Column widths that fit `total`: narrow columns keep what they want, the widest ones are
/// capped at one common width (so dates and statuses stay whole and long names shorten),
/// but none below its longest word (`need`) while the page has room for every column's
/// longest word: a word is broken inside only when nothing else fits. Spare room is
/// shared out evenly.
fn fit_widths(want: &[f32], need: &[f32], total: f32) -> Vec<f32> {
    let sum: f32 = want.iter().sum();
    if sum <= total {
        let extra = (total - sum) / want.len().max(1) as f32;
        return want.iter().map(|w| w + extra).collect();
    }
    let mut floor: Vec<f32> = want.iter().zip(need).map(|(w, n)| n.min(*w)).collect();
    let floors: f32 = floor.iter().sum();
    if floors > total {
        // No room for every longest word: each column gives up the same share of it.
        floor.iter_mut().for_each(|f| *f *= total / floors);
    }
    let width = |cap: f32| -> Vec<f32> {
        want.iter()
            .zip(&floor)
            .map(|(w, f)| w.min(cap).max(*f))
            .collect()
    };
    let (mut lo, mut hi) = (0.0f32, want.iter().cloned().fold(0.0, f32::max));
    for _ in 0..40 {
        let cap = (lo + hi) / 2.0;
        if width(cap).iter().sum::<f32>() > total {
            hi = cap
        } else {
            lo = cap
        }
    }
    width(lo)
}

/// The narrowest width that holds header `label` on the two lines a header may take,
/// broken between words.
fn header_need(face: &Face, label: &str) -> f32 {
    let words: Vec<&str> = label.split_whitespace().collect();
    let rtl = crate::values::has_hebrew(label);
    let width = |part: &[&str]| face.width(&part.join(" "), BODY_SIZE, rtl);
    (1..words.len().max(1))
        .map(|k| width(&words[..k]).max(width(&words[k..])))
        .fold(width(&words), f32::min)
}

/// The word of `text` with the most characters, as [`wrap`] would keep it together: a
/// word it may break after one of `@ . _ - /` (an e-mail address) counts by its longest
/// piece.
fn longest_word(text: &str) -> Option<&str> {
    text.split_whitespace()
        .flat_map(|w| w.split_inclusive(['@', '.', '_', '-', '/']))
        .max_by_key(|w| w.chars().count())
}

/// The roster as a PDF document.
pub(crate) fn roster_pdf(roster: &Roster) -> Result<Vec<u8>> {
    let regular = Face::load(REGULAR)?;
    let bold = Face::load(BOLD)?;
    let labels = roster.labels();
    let n = labels.len();
    let table_w = PAGE_W - 2.0 * MARGIN;

    // Column widths: what the widest cell wants, shared out to fit the page.
    let mut want: Vec<f32> = labels
        .iter()
        .map(|l| bold.width(l, BODY_SIZE, false) + 2.0 * CELL_PAD)
        .collect();
    // The widest word of each column (the header's too): no column is made narrower
    // while the page has room (`fit_widths`). The word with the most characters of a
    // cell stands for its widest.
    let mut need: Vec<f32> = labels
        .iter()
        .map(|l| header_need(&bold, l) + 2.0 * CELL_PAD)
        .collect();
    let mut word_widths: std::collections::HashMap<String, f32> = Default::default();
    let has_hebrew = crate::values::has_hebrew;
    // Every cell measured on one line, once: for the widths, then for the wrapping.
    let measured: Vec<Vec<(String, Line)>> = roster
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, cell)| {
                    let text = cell.as_text();
                    let line = visual_runs(&regular, &text, BODY_SIZE);
                    want[i] = want[i].max(line.width + 2.0 * CELL_PAD);
                    let word = if text.contains([' ', '@', '.', '_', '-', '/']) {
                        // Institutions and statuses repeat on every row: each word is
                        // measured once.
                        longest_word(&text).map_or(0.0, |w| match word_widths.get(w) {
                            Some(width) => *width,
                            None => {
                                let width = regular.width(w, BODY_SIZE, has_hebrew(w));
                                word_widths.insert(w.to_owned(), width);
                                width
                            }
                        })
                    } else {
                        line.width
                    };
                    need[i] = need[i].max(word + 2.0 * CELL_PAD);
                    (text, line)
                })
                .collect()
        })
        .collect();
    let widths = fit_widths(&want, &need, table_w);
    // Column i's left edge, mirrored for a Hebrew roster.
    let mut lefts = Vec::with_capacity(n);
    let mut acc = 0.0;
    for w in &widths {
        lefts.push(if roster.hebrew {
            PAGE_W - MARGIN - acc - w
        } else {
            MARGIN + acc
        });
        acc += w;
    }

    let cell_width = |i: usize| (widths[i] - 2.0 * CELL_PAD).max(1.0);
    let header: Vec<Vec<Line>> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let whole = visual_runs(&bold, l, BODY_SIZE);
            wrap(&bold, l, whole, BODY_SIZE, cell_width(i), 2)
        })
        .collect();
    let header_h = row_height(header.iter().map(Vec::len).max().unwrap_or(1));
    let cells: Vec<Vec<Vec<Line>>> = measured
        .into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .map(|(i, (text, whole))| {
                    wrap(&regular, &text, whole, BODY_SIZE, cell_width(i), MAX_LINES)
                })
                .collect()
        })
        .collect();
    let heights: Vec<f32> = cells
        .iter()
        .map(|row| row_height(row.iter().map(Vec::len).max().unwrap_or(1)))
        .collect();

    // Rows to pages: as many as fit under the header, at least one.
    let header_top = MARGIN + 52.0;
    let room = (PAGE_H - MARGIN - 20.0) - (header_top + header_h);
    let mut page_rows: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut used = 0.0;
    for (k, h) in heights.iter().enumerate() {
        if k > start && used + h > room {
            page_rows.push(start..k);
            start = k;
            used = 0.0;
        }
        used += h;
    }
    page_rows.push(start..heights.len());
    let pages = page_rows.len();
    let title = if roster.hebrew {
        format!("רשימת משתתפים – {}", roster.cohort_name)
    } else {
        format!("Roster – {}", roster.cohort_name)
    };
    let dates = match (&roster.start_date, &roster.end_date) {
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => s.clone(),
        _ => String::new(),
    };
    let subtitle = [
        roster.program_name.clone(),
        dates,
        if roster.hebrew {
            format!("{} שיבוצים", roster.rows.len())
        } else {
            format!("{} placements", roster.rows.len())
        },
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("   ·   ");

    let mut doc = Document::new();
    for (page_no, rows) in page_rows.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| Error::Damaged(msg!(PDF_PAGE_SIZE)))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        fill(&mut s, 20, 24, 31);
        let right = roster.hebrew;
        draw_in(
            &mut s,
            &bold,
            &title,
            MARGIN,
            PAGE_W - MARGIN,
            MARGIN + 14.0,
            15.0,
            right,
        );
        fill(&mut s, 80, 86, 99);
        draw_in(
            &mut s,
            &regular,
            &subtitle,
            MARGIN,
            PAGE_W - MARGIN,
            MARGIN + 32.0,
            9.0,
            right,
        );

        // Header row.
        fill(&mut s, 232, 238, 249);
        rect(&mut s, MARGIN, header_top, table_w, header_h);
        fill(&mut s, 20, 24, 31);
        for (i, lines) in header.iter().enumerate() {
            let (x0, x1) = (lefts[i] + CELL_PAD, lefts[i] + widths[i] - CELL_PAD);
            draw_lines(
                &mut s,
                &bold,
                lines,
                x0,
                x1,
                header_top + 12.0,
                BODY_SIZE,
                right,
            );
        }
        // Body rows.
        let mut top = header_top + header_h;
        for (k, r) in rows.clone().enumerate() {
            if k % 2 == 1 {
                fill(&mut s, 246, 247, 249);
                rect(&mut s, MARGIN, top, table_w, heights[r]);
            }
            fill(&mut s, 20, 24, 31);
            for (i, lines) in cells[r].iter().enumerate() {
                let (x0, x1) = (lefts[i] + CELL_PAD, lefts[i] + widths[i] - CELL_PAD);
                draw_lines(
                    &mut s,
                    &regular,
                    lines,
                    x0,
                    x1,
                    top + 12.0,
                    BODY_SIZE,
                    right,
                );
            }
            top += heights[r];
        }
        // Rule under the table and the page number.
        fill(&mut s, 200, 205, 214);
        rect(&mut s, MARGIN, top, table_w, 0.6);
        fill(&mut s, 80, 86, 99);
        let number = if roster.hebrew {
            format!("עמוד {} מתוך {}", page_no + 1, pages)
        } else {
            format!("Page {} of {}", page_no + 1, pages)
        };
        draw_in(
            &mut s,
            &regular,
            &number,
            MARGIN,
            PAGE_W - MARGIN,
            PAGE_H - MARGIN + 10.0,
            8.0,
            !roster.hebrew,
        );
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| {
        Error::Io(std::io::Error::other(format!(
            "cannot write the PDF: {e:?}"
        )))
    })
}
