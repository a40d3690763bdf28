//! Themes for Nashir: templates and static files of the built-in default theme (embedded in
//! the binary), overridden file by file from a site theme folder, rendered with minijinja.
//!
//! A theme folder holds `templates/*.html` and `static/*`. A site template can extend the
//! built-in one it replaces with `{% extends "builtin/base.html" %}`. Every template is
//! compiled at start-up so a syntax error is reported with file and line before any reader
//! arrives; a template that still fails while rendering falls back to the built-in one.

//! Static files are read once at start-up, named by their content and compressed once
//! (`assets`); templates link them with `{{ asset("style.css") }}`.
//!
//! Interface strings live in Fluent files under `locales/LANG/` (`i18n`); templates write
//! them with `{{ t("id") }}`, and a language's missing message falls back to Arabic.

mod assets;
pub mod dates;
mod filters;
pub mod i18n;
mod theme;

pub use assets::{Asset, Assets, StaticFile};
pub use dates::{DateError, SiteDates};
pub use fluent_bundle::FluentValue;
pub use i18n::Translations;
pub use theme::{Renderer, RenderError, SiteInfo};
