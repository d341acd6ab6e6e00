//! Screens as pictures: the console drawn into an off-screen buffer and written out as
//! SVG, one glyph per terminal cell, so the result depends on nothing but the buffer.
//!
//! Cells are 1233/2048 em wide (DejaVu Sans Mono's advance) and 19 px high at 16 px, the
//! baseline 15 px down, so rows land on whole pixels and box-drawing lines join. Block
//! elements are drawn as rectangles, underline and strike-through as rectangles, dim
//! text is blended toward the background and reversed cells swap colours. The
//! `screenshots` example turns these into PNG files with resvg.

use std::fmt::Write;

use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

use super::app::App;
use super::input::action_for;
use super::options::ConsoleOptions;
use super::update::update;

/// Font size in pixels.
pub const FONT_SIZE: f64 = 16.0;
/// Width of a cell: DejaVu Sans Mono's advance, 1233/2048 em.
pub const CELL_WIDTH: f64 = FONT_SIZE * 1233.0 / 2048.0;
/// Height of a cell.
pub const CELL_HEIGHT: f64 = 19.0;
/// Baseline below the top of a cell.
pub const BASELINE: f64 = 15.0;
/// Blank border around the screen.
pub const PADDING: f64 = 8.0;
/// The font the SVG asks for.
pub const FONT_FAMILY: &str = "DejaVu Sans Mono";

/// The colours of the terminal the picture pretends to be: what `Reset` and the 16
/// ANSI colours look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerminalPalette {
    /// Default background.
    pub background: [u8; 3],
    /// Default foreground.
    pub foreground: [u8; 3],
    /// ANSI colours 0–15 (black, red, green, yellow, blue, magenta, cyan, gray, then the
    /// bright ones).
    pub ansi: [[u8; 3]; 16],
}

impl TerminalPalette {
    /// A dark terminal with the Tango palette.
    pub fn dark() -> TerminalPalette {
        TerminalPalette {
            background: [0x1d, 0x1f, 0x21],
            foreground: [0xd3, 0xd7, 0xcf],
            ansi: TANGO,
        }
    }

    /// A light terminal with the Tango palette.
    pub fn light() -> TerminalPalette {
        TerminalPalette {
            background: [0xff, 0xff, 0xff],
            foreground: [0x2e, 0x34, 0x36],
            ansi: TANGO,
        }
    }

    fn rgb(&self, color: Color, foreground: bool) -> [u8; 3] {
        let named = |index: usize| self.ansi[index];
        match color {
            Color::Reset => {
                if foreground {
                    self.foreground
                } else {
                    self.background
                }
            }
            Color::Black => named(0),
            Color::Red => named(1),
            Color::Green => named(2),
            Color::Yellow => named(3),
            Color::Blue => named(4),
            Color::Magenta => named(5),
            Color::Cyan => named(6),
            Color::Gray => named(7),
            Color::DarkGray => named(8),
            Color::LightRed => named(9),
            Color::LightGreen => named(10),
            Color::LightYellow => named(11),
            Color::LightBlue => named(12),
            Color::LightMagenta => named(13),
            Color::LightCyan => named(14),
            Color::White => named(15),
            Color::Rgb(r, g, b) => [r, g, b],
            Color::Indexed(index) => xterm_256(self, index),
        }
    }
}

const TANGO: [[u8; 3]; 16] = [
    [0x2e, 0x34, 0x36],
    [0xcc, 0x00, 0x00],
    [0x4e, 0x9a, 0x06],
    [0xc4, 0xa0, 0x00],
    [0x34, 0x65, 0xa4],
    [0x75, 0x50, 0x7b],
    [0x06, 0x98, 0x9a],
    [0xd3, 0xd7, 0xcf],
    [0x55, 0x57, 0x53],
    [0xef, 0x29, 0x29],
    [0x8a, 0xe2, 0x34],
    [0xfc, 0xe9, 0x4f],
    [0x72, 0x9f, 0xcf],
    [0xad, 0x7f, 0xa8],
    [0x34, 0xe2, 0xe2],
    [0xee, 0xee, 0xec],
];

/// The xterm 256-colour table: 16 ANSI, a 6×6×6 cube, 24 greys.
fn xterm_256(palette: &TerminalPalette, index: u8) -> [u8; 3] {
    match index {
        0..16 => palette.ansi[index as usize],
        16..232 => {
            let i = index - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            [level(i / 36), level((i / 6) % 6), level(i % 6)]
        }
        _ => {
            let v = 8 + (index - 232) * 10;
            [v, v, v]
        }
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn blend(a: [u8; 3], b: [u8; 3], share_of_a: f64) -> [u8; 3] {
    let mix = |x: u8, y: u8| (x as f64 * share_of_a + y as f64 * (1.0 - share_of_a)).round() as u8;
    [mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2])]
}

/// A coordinate with at most two decimals and no trailing zeros.
fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Colours and weight of one cell as painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Paint {
    fg: [u8; 3],
    bg: [u8; 3],
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
}

fn paint(cell: &Cell, palette: &TerminalPalette) -> Paint {
    let mut fg = palette.rgb(cell.fg, true);
    let mut bg = palette.rgb(cell.bg, false);
    if cell.modifier.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    if cell.modifier.contains(Modifier::DIM) {
        fg = blend(fg, bg, 0.55);
    }
    Paint {
        fg,
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
        italic: cell.modifier.contains(Modifier::ITALIC),
        underline: cell.modifier.contains(Modifier::UNDERLINED),
        strike: cell.modifier.contains(Modifier::CROSSED_OUT),
    }
}

/// A block element as filled fractions of the cell: (x0, y0, x1, y1, opacity).
fn block_element(symbol: &str) -> Option<(f64, f64, f64, f64, f64)> {
    let mut chars = symbol.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(match c {
        '█' => (0.0, 0.0, 1.0, 1.0, 1.0),
        '▀' => (0.0, 0.0, 1.0, 0.5, 1.0),
        '▄' => (0.0, 0.5, 1.0, 1.0, 1.0),
        '▌' => (0.0, 0.0, 0.5, 1.0, 1.0),
        '▐' => (0.5, 0.0, 1.0, 1.0, 1.0),
        '░' => (0.0, 0.0, 1.0, 1.0, 0.25),
        '▒' => (0.0, 0.0, 1.0, 1.0, 0.5),
        '▓' => (0.0, 0.0, 1.0, 1.0, 0.75),
        '▁'..='▇' => {
            let eighths = (c as u32 - '▁' as u32 + 1) as f64;
            (0.0, 1.0 - eighths / 8.0, 1.0, 1.0, 1.0)
        }
        '▉'..='▏' => {
            let eighths = (8 - (c as u32 - '▉' as u32 + 1)) as f64;
            (0.0, 0.0, eighths / 8.0, 1.0, 1.0)
        }
        _ => return None,
    })
}

/// The buffer as an SVG document.
pub fn svg(buffer: &Buffer, palette: &TerminalPalette) -> String {
    let area = buffer.area;
    let width = (area.width as f64 * CELL_WIDTH + 2.0 * PADDING).ceil();
    let height = area.height as f64 * CELL_HEIGHT + 2.0 * PADDING;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#,
        w = num(width),
        h = num(height)
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        hex(palette.background)
    );
    let _ = writeln!(
        out,
        r#"<g font-family="{FONT_FAMILY}" font-size="{}">"#,
        num(FONT_SIZE)
    );
    let x_of = |column: u16| PADDING + column as f64 * CELL_WIDTH;
    for row in 0..area.height {
        let top = PADDING + row as f64 * CELL_HEIGHT;
        let cells: Vec<(&Cell, Paint)> = (0..area.width)
            .map(|column| {
                let cell = &buffer[(area.x + column, area.y + row)];
                (cell, paint(cell, palette))
            })
            .collect();
        // Backgrounds, in runs.
        let mut column = 0;
        while column < cells.len() {
            let bg = cells[column].1.bg;
            let start = column;
            while column < cells.len() && cells[column].1.bg == bg {
                column += 1;
            }
            if bg != palette.background {
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                    num(x_of(start as u16)),
                    num(top),
                    num((column - start) as f64 * CELL_WIDTH),
                    num(CELL_HEIGHT),
                    hex(bg)
                );
            }
        }
        // Block elements, underlines, strike-through.
        for (index, (cell, paint)) in cells.iter().enumerate() {
            let x = x_of(index as u16);
            if let Some((x0, y0, x1, y1, opacity)) = block_element(cell.symbol()) {
                let fill = if opacity < 1.0 {
                    blend(paint.fg, paint.bg, opacity)
                } else {
                    paint.fg
                };
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                    num(x + x0 * CELL_WIDTH),
                    num(top + y0 * CELL_HEIGHT),
                    num((x1 - x0) * CELL_WIDTH),
                    num((y1 - y0) * CELL_HEIGHT),
                    hex(fill)
                );
            }
            for (on, y) in [(paint.underline, 17.0), (paint.strike, 10.0)] {
                if on {
                    let _ = writeln!(
                        out,
                        r#"<rect x="{}" y="{}" width="{}" height="1" fill="{}"/>"#,
                        num(x),
                        num(top + y),
                        num(CELL_WIDTH),
                        hex(paint.fg)
                    );
                }
            }
        }
        // Glyphs, in runs of one style, each at its own cell.
        let mut index = 0;
        while index < cells.len() {
            let (cell, style) = cells[index];
            let symbol = cell.symbol();
            if symbol.trim().is_empty() || block_element(symbol).is_some() {
                index += 1;
                continue;
            }
            let mut xs = Vec::new();
            let mut text = String::new();
            while index < cells.len() {
                let (cell, paint) = cells[index];
                let symbol = cell.symbol();
                if paint.fg != style.fg
                    || paint.bold != style.bold
                    || paint.italic != style.italic
                    || symbol.trim().is_empty()
                    || block_element(symbol).is_some()
                {
                    break;
                }
                for _ in symbol.chars() {
                    xs.push(num(x_of(index as u16)));
                }
                text.push_str(symbol);
                index += 1;
            }
            let mut attributes = format!(r#" fill="{}""#, hex(style.fg));
            if style.bold {
                attributes.push_str(r#" font-weight="bold""#);
            }
            if style.italic {
                attributes.push_str(r#" font-style="oblique""#);
            }
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}"{attributes}>{}</text>"#,
                xs.join(" "),
                num(top + BASELINE),
                escape(&text)
            );
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// Draws the console into an off-screen buffer of `width`×`height` cells.
pub fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|never| match never {});
    let mut screen = None;
    let _ = terminal.draw(|frame| screen = Some(super::render::render(frame, app)));
    if let Some(screen) = screen {
        app.set_screen(screen);
    }
    terminal.backend().buffer().clone()
}

/// Presses keys as typed (each character one key press) through the key map.
pub fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\u{1b}' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        let event = Event::Key(KeyEvent::new_with_kind(
            code,
            KeyModifiers::NONE,
            KeyEventKind::Press,
        ));
        if let Some(action) = action_for(app, &event) {
            update(app, action);
        }
    }
}

/// One picture of the console.
#[derive(Debug, Clone)]
pub struct Scene {
    /// File name without extension.
    pub name: &'static str,
    /// Keys pressed on the story console before drawing.
    pub keys: &'static str,
    /// Terminal size.
    pub width: u16,
    /// Terminal size.
    pub height: u16,
}

/// The pictures in `screenshots/`: the main views, the help and a wizard's plan review,
/// from the story estate.
pub const SCENES: &[Scene] = &[
    Scene {
        name: "systems",
        keys: "",
        width: 100,
        height: 30,
    },
    Scene {
        name: "lpars",
        keys: "2jjjjj",
        width: 100,
        height: 30,
    },
    Scene {
        name: "filter",
        keys: "2/legacy\n",
        width: 100,
        height: 30,
    },
    Scene {
        name: "wpars",
        keys: "3jj",
        width: 100,
        height: 30,
    },
    Scene {
        name: "nim",
        keys: "5jjj",
        width: 100,
        height: 30,
    },
    Scene {
        name: "sources",
        keys: "6j",
        width: 100,
        height: 30,
    },
    Scene {
        name: "tree",
        keys: "7jjjj",
        width: 100,
        height: 30,
    },
    Scene {
        name: "help",
        keys: "?",
        width: 100,
        height: 30,
    },
    Scene {
        name: "remote-restart-plan",
        keys: "jjR\n\n",
        width: 100,
        height: 30,
    },
];

impl Scene {
    /// The scene's screen as SVG, on a dark terminal with the default theme.
    pub fn svg(&self) -> String {
        let mut app = super::fixture::story_app(ConsoleOptions::default());
        draw(&mut app, self.width, self.height);
        press(&mut app, self.keys);
        let buffer = draw(&mut app, self.width, self.height);
        svg(&buffer, &TerminalPalette::dark())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_colours() {
        assert!((CELL_WIDTH - 9.6328125).abs() < 1e-9);
        let palette = TerminalPalette::dark();
        assert_eq!(xterm_256(&palette, 196), [255, 0, 0]);
        assert_eq!(xterm_256(&palette, 244), [128, 128, 128]);
        assert_eq!(num(9.6328125), "9.63");
        assert_eq!(num(19.0), "19");
        assert_eq!(escape("a<b&\"c\">"), "a&lt;b&amp;&quot;c&quot;&gt;");
        assert_eq!(block_element("▄"), Some((0.0, 0.5, 1.0, 1.0, 1.0)));
        assert_eq!(block_element("▏").map(|b| b.2), Some(0.125));
        assert_eq!(block_element("▉").map(|b| b.2), Some(0.875));
        assert_eq!(block_element("x"), None);
    }

    #[test]
    fn svg_places_each_glyph_in_its_cell() {
        let mut buffer = Buffer::empty(ratatui::layout::Rect::new(0, 0, 4, 1));
        buffer.set_string(0, 0, "a<", ratatui::style::Style::default().fg(Color::Red));
        buffer.set_string(3, 0, "█", ratatui::style::Style::default());
        let svg = svg(&buffer, &TerminalPalette::dark());
        assert!(
            svg.contains(r##"<text x="8 17.63" y="23" fill="#cc0000">a&lt;</text>"##),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<rect x="36.9" y="8" width="9.63" height="19""#),
            "{svg}"
        );
    }
}
