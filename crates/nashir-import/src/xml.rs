//! A WXR file as a checked stream of start tags, end tags and text.
//! Owns well-formedness (open-element stack, one root), byte offset → line and column, and
//! naming elements by namespace: whatever prefix a file binds to the WordPress export
//! namespace, its elements are reported as `wp:…`.

use std::io::{self, BufRead};

use quick_xml::Reader;
use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::Event;

use crate::error::ImportError;
use crate::position::Tracked;

/// What [`XmlStream::next`] met. Text is not an event: it is appended to the caller's
/// buffer as it streams by, CDATA sections and references included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ev {
    /// A start tag (or an empty element, whose `End` follows immediately).
    Start,
    /// An end tag; the element is already popped.
    End,
    /// End of the document, after the root element closed.
    Eof,
}

/// Line and column (1-based, characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u64,
    pub column: u64,
}

pub(crate) struct XmlStream<R: BufRead> {
    reader: Reader<Tracked<R>>,
    file: String,
    buf: Vec<u8>,
    /// Names of the open elements, concatenated; `ends[i]` is where the i-th name ends.
    /// One string instead of a `Vec<String>` so pushing and popping never allocates.
    names: String,
    ends: Vec<usize>,
    /// Names of the open elements by namespace (see [`XmlStream::name`]), kept like `names`.
    canon: String,
    canon_ends: Vec<usize>,
    /// Namespace prefixes bound by `xmlns` attributes of open elements, innermost last.
    bindings: Vec<Binding>,
    /// Name (by namespace) of the element of the last `Start` or `End`.
    name: String,
    attrs: Vec<(String, String)>,
    start_pos: Pos,
    /// `<a/>` was reported as `Start`; its `End` is due.
    pending_end: bool,
    root_seen: bool,
    root_closed: bool,
}

impl<R: BufRead> XmlStream<R> {
    pub(crate) fn new(mut inner: R, file: String) -> Result<Self, ImportError> {
        // quick-xml skips a UTF-8 byte-order mark without counting it in its offsets;
        // dropping it here keeps our byte count and quick-xml's in step.
        let has_bom = inner
            .fill_buf()
            .map_err(|source| ImportError::Io {
                file: file.clone(),
                source,
            })?
            .starts_with(b"\xEF\xBB\xBF");
        if has_bom {
            inner.consume(3);
        }
        let mut reader = Reader::from_reader(Tracked::new(inner));
        let config = reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Ok(XmlStream {
            reader,
            file,
            buf: Vec::with_capacity(8 * 1024),
            names: String::new(),
            ends: Vec::new(),
            canon: String::new(),
            canon_ends: Vec::new(),
            bindings: Vec::new(),
            name: String::new(),
            attrs: Vec::new(),
            start_pos: Pos::default(),
            pending_end: false,
            root_seen: false,
            root_closed: false,
        })
    }

    /// Reads up to the next tag, appending any text before it to `text`.
    pub(crate) fn next(&mut self, text: &mut String) -> Result<Ev, ImportError> {
        if self.pending_end {
            self.pending_end = false;
            self.pop();
            return Ok(Ev::End);
        }
        loop {
            // The event borrows the buffer; taking it out of `self` leaves `self` free
            // for the bookkeeping below.
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            let step = self.step(&mut buf, text);
            self.buf = buf;
            if let Some(ev) = step? {
                return Ok(ev);
            }
        }
    }

    /// Reads one quick-xml event; `None` when it was text or something to skip.
    fn step(&mut self, buf: &mut Vec<u8>, text: &mut String) -> Result<Option<Ev>, ImportError> {
        let start = self.reader.buffer_position();
        self.reader.get_mut().set_mark(start);
        let event = match self.reader.read_event_into(buf) {
            Ok(event) => event,
            Err(e) => return Err(xml_error(&self.reader, &self.file, e)),
        };
        match event {
            Event::Start(e) | Event::Empty(e) if self.root_closed => {
                let found = e.name().as_ref().to_owned();
                return Err(
                    self.malformed_here(start, format!("the end of the file, found <{found}>"))
                );
            }
            Event::Start(e) => {
                self.open(&e, start)?;
                return Ok(Some(Ev::Start));
            }
            Event::Empty(e) => {
                self.open(&e, start)?;
                self.pending_end = true;
                return Ok(Some(Ev::Start));
            }
            Event::End(_) => {
                self.pop();
                return Ok(Some(Ev::End));
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                if self.ends.is_empty() {
                    if !content.trim().is_empty() {
                        let what = if self.root_closed {
                            "the end of the file"
                        } else {
                            "the <rss> root element"
                        };
                        return Err(self.malformed_here(start, format!("{what}, found text")));
                    }
                } else {
                    text.push_str(&content);
                }
            }
            Event::CData(c) => {
                if self.ends.is_empty() {
                    return Err(
                        self.malformed_here(start, "an element, found a CDATA section".into())
                    );
                }
                text.push_str(&c.xml10_content());
            }
            Event::GeneralRef(r) => {
                if self.ends.is_empty() {
                    return Err(
                        self.malformed_here(start, "an element, found an entity reference".into())
                    );
                }
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text.push(c),
                    Ok(None) => push_named_entity(&r, text),
                    Err(_) => {
                        return Err(self.malformed_here(
                            start,
                            format!("a valid character reference, found &{};", &*r),
                        ));
                    }
                }
            }
            Event::Decl(d) => {
                if let Some(Ok(encoding)) = d.encoding() {
                    let encoding = encoding.trim().to_ascii_lowercase();
                    if encoding != "utf-8" && encoding != "utf8" {
                        let pos = self.pos(start);
                        return Err(ImportError::Unsupported {
                            file: self.file.clone(),
                            line: pos.line,
                            column: pos.column,
                            reason: format!(
                                "encoding {encoding} is not supported: WordPress exports are UTF-8"
                            ),
                        });
                    }
                }
            }
            Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => {
                let at = self.reader.buffer_position();
                if let Some(open) = self.innermost() {
                    let expected = format!("</{open}>");
                    return Err(self.malformed_here(at, expected));
                }
                if !self.root_seen {
                    return Err(self.malformed_here(at, "the <rss> root element".into()));
                }
                return Ok(Some(Ev::Eof));
            }
        }
        Ok(None)
    }

    fn open(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        start: u64,
    ) -> Result<(), ImportError> {
        let name = e.name();
        let name = name.as_ref();
        self.names.push_str(name);
        self.ends.push(self.names.len());
        self.root_seen = true;
        self.start_pos = self.pos(start);
        self.attrs.clear();
        for attr in e.attributes() {
            let attr = attr.map_err(|err| {
                self.malformed_here(start, format!("well-formed attributes ({err})"))
            })?;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| {
                    self.malformed_here(start, format!("a valid attribute value ({err})"))
                })?;
            let key: &str = attr.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                let prefix = key.strip_prefix("xmlns").unwrap_or("").trim_start_matches(':');
                self.bindings.push(Binding {
                    prefix: prefix.to_owned(),
                    namespace: Namespace::of(&value),
                    depth: self.ends.len(),
                });
            }
            self.attrs.push((key.to_owned(), value.into_owned()));
        }
        self.name.clear();
        self.resolve(name);
        self.canon.push_str(&self.name);
        self.canon_ends.push(self.canon.len());
        Ok(())
    }

    /// Writes into `self.name` the name `qname` stands for where it is: `wp:local` for any
    /// prefix bound to a WordPress export namespace (and likewise `content:`, `excerpt:`,
    /// `dc:`, `wfw:`), the bare local name for RSS's own elements (no namespace), and
    /// `{uri}local` for a foreign namespace, which no WXR field matches. A well-known prefix
    /// used without a declaration (hand-made exports) means its usual namespace, as in
    /// WordPress's own importer.
    fn resolve(&mut self, qname: &str) {
        let (prefix, local) = qname.split_once(':').unwrap_or(("", qname));
        let bound = self.bindings.iter().rev().find(|b| b.prefix == prefix);
        let known = match bound {
            Some(Binding { namespace: Namespace::Known(p), .. }) => *p,
            Some(Binding { namespace: Namespace::Foreign(uri), .. }) => {
                self.name.push('{');
                self.name.push_str(uri);
                self.name.push('}');
                self.name.push_str(local);
                return;
            }
            None if prefix.is_empty() => "",
            None => match KNOWN_NAMESPACES.iter().find(|(_, p)| *p == prefix) {
                Some((_, p)) => p,
                None => {
                    self.name.push_str(qname);
                    return;
                }
            },
        };
        if !known.is_empty() {
            self.name.push_str(known);
            self.name.push(':');
        }
        self.name.push_str(local);
    }

    fn pop(&mut self) {
        self.ends.pop();
        self.names.truncate(self.ends.last().copied().unwrap_or(0));
        let end = self.canon_ends.pop().unwrap_or(0);
        let begin = self.canon_ends.last().copied().unwrap_or(0);
        self.name.clear();
        self.name.push_str(&self.canon[begin..end]);
        self.canon.truncate(begin);
        let depth = self.ends.len();
        while self.bindings.last().is_some_and(|b| b.depth > depth) {
            self.bindings.pop();
        }
        if self.ends.is_empty() {
            self.root_closed = true;
        }
    }

    fn innermost(&self) -> Option<&str> {
        let end = *self.ends.last()?;
        let begin = self.ends.len().checked_sub(2).map_or(0, |i| self.ends[i]);
        Some(&self.names[begin..end])
    }

    /// Name of the element of the last `Start` or `End`, by namespace: `wp:post_id` however
    /// the file spells the WordPress prefix, `title` for RSS's own, `{uri}local` when foreign.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Number of open elements.
    pub(crate) fn depth(&self) -> usize {
        self.ends.len()
    }

    /// An attribute of the element of the last `Start`.
    pub(crate) fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Where the last start tag began.
    pub(crate) fn start_pos(&self) -> Pos {
        self.start_pos
    }

    /// Where reading stands now.
    pub(crate) fn here(&self) -> Pos {
        self.pos(self.reader.buffer_position())
    }

    fn pos(&self, offset: u64) -> Pos {
        let (line, column) = self.reader.get_ref().line_col(offset);
        Pos { line, column }
    }

    fn malformed_here(&self, offset: u64, expected: String) -> ImportError {
        self.malformed(self.pos(offset), expected)
    }

    pub(crate) fn malformed(&self, at: Pos, expected: String) -> ImportError {
        ImportError::Malformed {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
            expected,
        }
    }

    pub(crate) fn unsupported(&self, at: Pos, reason: String) -> ImportError {
        ImportError::Unsupported {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
            reason,
        }
    }
}

/// The namespaces a WXR file uses, by URI, with the prefix the reader names them by. RSS's
/// own elements have no namespace.
const KNOWN_NAMESPACES: &[(&str, &str)] = &[
    ("http://wordpress.org/export/1.0/", "wp"),
    ("http://wordpress.org/export/1.1/", "wp"),
    ("http://wordpress.org/export/1.2/", "wp"),
    ("http://wordpress.org/export/1.0/excerpt/", "excerpt"),
    ("http://wordpress.org/export/1.1/excerpt/", "excerpt"),
    ("http://wordpress.org/export/1.2/excerpt/", "excerpt"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://wellformedweb.org/CommentAPI/", "wfw"),
];

/// What a prefix is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Namespace {
    /// One of [`KNOWN_NAMESPACES`] by its reader prefix; `""` for no namespace (`xmlns=""`).
    Known(&'static str),
    Foreign(String),
}

impl Namespace {
    fn of(uri: &str) -> Namespace {
        let uri = uri.trim();
        if uri.is_empty() {
            return Namespace::Known("");
        }
        // `https` and a missing final slash are common slips in hand-edited exports.
        let loose = |u: &str| u.trim_start_matches("http://").trim_start_matches("https://").trim_end_matches('/').to_owned();
        let wanted = loose(uri);
        KNOWN_NAMESPACES
            .iter()
            .find(|(known, _)| loose(known) == wanted)
            .map_or_else(|| Namespace::Foreign(uri.to_owned()), |(_, p)| Namespace::Known(p))
    }
}

struct Binding {
    prefix: String,
    namespace: Namespace,
    /// Depth of the element that declared it (1 for the root).
    depth: usize,
}

/// XML knows five named entities. HTML ones (`&nbsp;`) are undeclared in XML, so a strict
/// parser would refuse the file; WordPress never writes them (titles go through `ent2ncr`),
/// and when a hand-edited export has one we decode the common ones rather than refuse.
fn push_named_entity(name: &str, text: &mut String) {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "rlm" => '\u{200F}',
        "lrm" => '\u{200E}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        _ => {
            text.push('&');
            text.push_str(name);
            text.push(';');
            return;
        }
    };
    text.push(c);
}

/// Turns a quick-xml error into the user's words, at the position quick-xml blames
/// (the start of the markup that is not closed, the end tag that does not match…).
fn xml_error<R: BufRead>(reader: &Reader<Tracked<R>>, file: &str, e: XmlError) -> ImportError {
    let (line, column) = reader.get_ref().line_col(reader.error_position());
    let expected = match e {
        XmlError::Io(e) => {
            return ImportError::Io {
                file: file.to_owned(),
                source: io::Error::new(e.kind(), e.to_string()),
            };
        }
        XmlError::Syntax(s) => match s {
            SyntaxError::InvalidBangMarkup => {
                "`<!--`, `<![CDATA[` or `<!DOCTYPE` after `<!`".to_owned()
            }
            SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl => {
                "`?>` to close the processing instruction that starts here".to_owned()
            }
            SyntaxError::UnclosedComment => {
                "`-->` to close the comment that starts here".to_owned()
            }
            SyntaxError::UnclosedDoctype => "`>` to close the DOCTYPE that starts here".to_owned(),
            SyntaxError::UnclosedCData => {
                "`]]>` to close the CDATA section that starts here".to_owned()
            }
            SyntaxError::UnclosedTag => "`>` to close the tag that starts here".to_owned(),
            SyntaxError::UnclosedSingleQuotedAttributeValue => {
                "a closing `'` for an attribute value of the tag that starts here".to_owned()
            }
            SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                "a closing `\"` for an attribute value of the tag that starts here".to_owned()
            }
        },
        XmlError::IllFormed(i) => match i {
            IllFormedError::MismatchedEndTag { expected, found } => {
                format!("</{expected}>, found </{found}>")
            }
            IllFormedError::UnmatchedEndTag(found) => {
                format!("a start tag, found </{found}> which closes nothing")
            }
            IllFormedError::MissingEndTag(name) => format!("</{name}>"),
            IllFormedError::UnclosedReference => {
                "`;` to end the reference that starts here".to_owned()
            }
            IllFormedError::MissingDeclVersion(_) | IllFormedError::UnknownVersion => {
                "an XML declaration with version 1.0 or 1.1".to_owned()
            }
            IllFormedError::MissingDoctypeName => "a root element name in the DOCTYPE".to_owned(),
            IllFormedError::DoubleHyphenInComment => "no `--` inside a comment".to_owned(),
        },
        XmlError::InvalidAttr(err) => format!("well-formed attributes ({err})"),
        XmlError::Encoding(err) => format!("UTF-8 text ({err})"),
        XmlError::Escape(err) => format!("a valid entity or character reference ({err})"),
        XmlError::Namespace(err) => format!("valid namespace declarations ({err})"),
    };
    ImportError::Malformed {
        file: file.to_owned(),
        line,
        column,
        expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(xml: &str) -> Result<Vec<(Ev, String, String)>, ImportError> {
        let mut s = XmlStream::new(xml.as_bytes(), "t.xml".into())?;
        let mut out = Vec::new();
        loop {
            let mut text = String::new();
            let ev = s.next(&mut text)?;
            out.push((ev, s.name().to_owned(), text));
            if ev == Ev::Eof {
                return Ok(out);
            }
        }
    }

    #[test]
    fn text_cdata_and_references_are_joined() {
        let evs =
            collect("<a>x &amp; <![CDATA[<b>]]]]><![CDATA[>]]>&#1593;&nbsp;&bogus;</a>").unwrap();
        assert_eq!(evs[1].2, "x & <b>]]>ع\u{a0}&bogus;");
    }

    #[test]
    fn empty_elements_start_and_end() {
        let evs = collect("<a><b/></a>").unwrap();
        let kinds: Vec<_> = evs.iter().map(|(e, n, _)| (*e, n.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (Ev::Start, "a"),
                (Ev::Start, "b"),
                (Ev::End, "b"),
                (Ev::End, "a"),
                (Ev::Eof, "a")
            ]
        );
    }

    #[test]
    fn end_of_file_inside_an_element_is_malformed() {
        let err = collect("<rss>\n<channel>\n  <item>\n").unwrap_err();
        assert_eq!(err.to_string(), "t.xml: line 4, column 1: expected </item>");
    }

    #[test]
    fn mismatched_end_tag_names_both() {
        let err = collect("<rss>\n <x>\n </y>\n</rss>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.xml: line 3, column 2: expected </x>, found </y>"
        );
    }

    #[test]
    fn unclosed_cdata_points_at_its_start() {
        let err = collect("<rss>\n<t>عربي <![CDATA[abc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.xml: line 2, column 9: expected `]]>` to close the CDATA section that starts here"
        );
    }

    #[test]
    fn a_second_root_or_stray_text_is_malformed() {
        assert!(collect("<a/><b/>").is_err());
        assert!(collect("<a/> x").is_err());
        assert!(collect("").is_err());
        assert!(collect("  \n").is_err());
    }

    #[test]
    fn byte_order_mark_does_not_shift_positions() {
        let err = collect("\u{feff}<rss>\n<x>").unwrap_err();
        assert_eq!(err.to_string(), "t.xml: line 2, column 4: expected </x>");
    }

    fn start_names(xml: &str) -> Vec<String> {
        collect(xml)
            .unwrap()
            .into_iter()
            .filter(|(e, _, _)| *e == Ev::Start)
            .map(|(_, n, _)| n)
            .collect()
    }

    #[test]
    fn elements_are_named_by_namespace_not_prefix() {
        let names = start_names(
            r#"<rss xmlns:w="http://wordpress.org/export/1.2/" xmlns:wp="http://example.com/not-wordpress">
            <w:post_id/><wp:post_id/>
            <post_id xmlns="http://wordpress.org/export/1.1/"><child/></post_id>
            <wp:post_id xmlns:wp="http://wordpress.org/export/1.0/"/>
            <c:encoded xmlns:c="http://purl.org/rss/1.0/modules/content/"/>
            <dc:creator/><media:x/><title xmlns=""/></rss>"#,
        );
        assert_eq!(
            names,
            [
                "rss",
                "wp:post_id",
                "{http://example.com/not-wordpress}post_id",
                "wp:post_id",
                "wp:child",
                "wp:post_id",
                "content:encoded",
                "dc:creator",
                "media:x",
                "title"
            ]
        );
    }

    #[test]
    fn a_binding_ends_with_its_element() {
        let evs = collect(
            r#"<rss><a xmlns:wp="http://example.com/x"><wp:b/></a><wp:b/><item xmlns="urn:other"><title/></item></rss>"#,
        )
        .unwrap();
        let names: Vec<(Ev, &str)> = evs.iter().map(|(e, n, _)| (*e, n.as_str())).collect();
        assert_eq!(
            names,
            [
                (Ev::Start, "rss"),
                (Ev::Start, "a"),
                (Ev::Start, "{http://example.com/x}b"),
                (Ev::End, "{http://example.com/x}b"),
                (Ev::End, "a"),
                (Ev::Start, "wp:b"),
                (Ev::End, "wp:b"),
                (Ev::Start, "{urn:other}item"),
                (Ev::Start, "{urn:other}title"),
                (Ev::End, "{urn:other}title"),
                (Ev::End, "{urn:other}item"),
                (Ev::End, "rss"),
                (Ev::Eof, "rss"),
            ]
        );
    }

    #[test]
    fn non_utf8_declaration_is_unsupported() {
        let err = collect("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>").unwrap_err();
        assert!(matches!(err, ImportError::Unsupported { .. }), "{err}");
    }
}
