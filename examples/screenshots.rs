//! Regenerates `screenshots/`: the main views of the console, drawn from the story
//! estate into an off-screen buffer, written as SVG and rasterised to PNG with resvg.
//!
//! ```sh
//! cargo run --example screenshots            # SVG and PNG
//! cargo run --example screenshots -- --svg   # SVG only (no fonts needed)
//! ```
//!
//! PNGs need DejaVu Sans Mono (Debian: `apt-get install fonts-dejavu-core`, plus
//! `fonts-dejavu-extra` for the oblique faces), read from explicit files in
//! `$POWERDECK_FONT_DIR` (default `/usr/share/fonts/truetype/dejavu`) so that no other
//! installed font can change the pictures. Without the fonts only SVGs are written.
//! `tests/ui_screenshots.rs` fails when the committed SVGs no longer match the code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use powerdeck::ui::screenshot::{FONT_FAMILY, SCENES};

const FONT_FILES: [&str; 4] = [
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "DejaVuSansMono-Oblique.ttf",
    "DejaVuSansMono-BoldOblique.ttf",
];

fn font_options(dir: &Path) -> Option<resvg::usvg::Options<'static>> {
    let regular = dir.join(FONT_FILES[0]);
    if !regular.is_file() {
        return None;
    }
    let mut options = resvg::usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        ..resvg::usvg::Options::default()
    };
    for file in FONT_FILES {
        let path = dir.join(file);
        match std::fs::read(&path) {
            Ok(data) => options.fontdb_mut().load_font_data(data),
            Err(_) if file != FONT_FILES[0] => {}
            Err(error) => {
                eprintln!("screenshots: cannot read {}: {error}", path.display());
                return None;
            }
        }
    }
    Some(options)
}

fn rasterise(svg: &str, options: &resvg::usvg::Options<'_>, png: &Path) -> Result<(), String> {
    let tree = resvg::usvg::Tree::from_str(svg, options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| "empty picture".to_string())?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.save_png(png).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let svg_only = std::env::args().any(|a| a == "--svg");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    if let Err(error) = std::fs::create_dir_all(&out) {
        eprintln!("screenshots: cannot create {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    let font_dir = std::env::var_os("POWERDECK_FONT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/fonts/truetype/dejavu"));
    let fonts = if svg_only {
        None
    } else {
        font_options(&font_dir)
    };
    if fonts.is_none() && !svg_only {
        eprintln!(
            "screenshots: DejaVu Sans Mono not found in {} (Debian: fonts-dejavu-core); writing SVG only",
            font_dir.display()
        );
    }
    let mut failed = false;
    for scene in SCENES {
        let svg = scene.svg();
        let svg_path = out.join(format!("{}.svg", scene.name));
        if let Err(error) = std::fs::write(&svg_path, &svg) {
            eprintln!("screenshots: {}: {error}", svg_path.display());
            failed = true;
            continue;
        }
        println!("{}", svg_path.display());
        if let Some(options) = &fonts {
            let png_path = out.join(format!("{}.png", scene.name));
            match rasterise(&svg, options, &png_path) {
                Ok(()) => println!("{}", png_path.display()),
                Err(error) => {
                    eprintln!("screenshots: {}: {error}", png_path.display());
                    failed = true;
                }
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
