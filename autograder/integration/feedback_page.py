"""The students' feedback page: nbgrader's feedback template, made to work as one file with no network.

``nbgrader generate_feedback`` writes each page with nbconvert's ``HTMLExporter`` and nbgrader's ``feedback``
template. Students open those pages offline or after downloading them from an LMS, and two things went wrong:

* Maths. The template leaves the markdown cells' ``$…$`` / ``$$…$$`` as raw TeX and loads MathJax from a CDN
  to typeset it in the browser; offline, students saw raw TeX. :class:`FeedbackExporter` converts the maths
  to MathML (with ``latex2mathml``) when the page is written, and drops the CDN ``<script>``: Chromium and
  Firefox lay MathML out natively, so the page needs no script, no network and no file beside it.
* Long lines. Bootstrap's ``pre`` keeps long lines on one line, so a check's report with hints (a test
  cell's ``AssertionError``) or a long printed line ran off its box. The page's style sheet now wraps the
  lines of outputs and error messages; code input keeps its horizontal scroll.

Only maths in markdown cells (and graders' comments) is converted: code, and every output of a code cell,
is left exactly as nbconvert writes it. Which text is maths is decided by nbconvert's own markdown parser
(``$$…$$``, ``$…$``, LaTeX environments and the bracket forms), with one change to ``$…$`` so that dollar
amounts stay text: see :class:`DollarAwareInlineParser`. ``\\$`` is a literal dollar sign.

Registered in ``autograder/integration/nbgrader_config.py`` as ``GenerateFeedback.exporter_class``.
"""
from __future__ import annotations

import html
import re
import unicodedata

from jinja2 import DictLoader, pass_context
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath, MathInlineParser
from traitlets import default

try:  # in the `grade` extra; without it (a [lab]-only install running formgrader) maths stays TeX for MathJax
    from latex2mathml.converter import convert as latex2mathml
except ImportError:  # tests/grader/unit/test_feedback_page.py checks this path by setting latex2mathml to None
    latex2mathml = None

# The feedback template's head calls ``mathjax()`` (from base/mathjax.html.j2), which writes the CDN
# <script>. This file is found before nbconvert's, so the same call writes the page's own styles instead
# (and nbconvert's script too when latex2mathml is missing and the maths was left as TeX).
HEAD_TEMPLATE = """\
{%- from 'base/mathjax.html.j2' import mathjax as mathjax_from_cdn -%}
{%- macro mathjax(url=None) -%}
{%- if tex_left_for_mathjax %}
{{ mathjax_from_cdn(url) if url else mathjax_from_cdn() }}
{%- else %}
<!-- nnlab: the maths is MathML, written when this page was made; no MathJax, no network needed -->
{%- endif %}
<style type="text/css">
/* Outputs and error messages (a failing check's report and hints) wrap inside their box, keeping their
   line breaks and indentation; code input keeps its horizontal scroll. */
div.output_area pre, div.output_subarea pre, div.output_text pre {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  word-break: normal;
}
math {
  font-family: "STIX Two Math", "Latin Modern Math", "Cambria Math", "DejaVu Math TeX Gyre", math;
  font-size: 1.1em;
}
math[display="block"] {
  margin: 0.5em 0;
  overflow-x: auto;
  overflow-y: hidden;
}
code.tex-fallback {
  white-space: pre-wrap;
}
</style>
{%- endmacro %}
"""

# mathvariant on a token is MathML Core only for "normal": Chromium ignores the others. latex2mathml writes
# Unicode letters for \mathbb{R} or \mathbf{W} but leaves a mathvariant on some (\mathbb{1}, \boldsymbol),
# so those characters are replaced by their Mathematical Alphanumeric Symbols (𝟙, 𝜽), which any browser shows.
_VARIANTS = {
    "bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
    "script": "SCRIPT", "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
    "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD", "sans-serif-italic": "SANS-SERIF ITALIC",
    "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC", "monospace": "MONOSPACE",
}
# the letters Unicode had before the Mathematical block (ℝ, ℬ, ℭ, ℎ) are "holes" in it, named without the prefix
_HOLE_PREFIX = {"FRAKTUR": "BLACK-LETTER"}
_TOKEN_WITH_VARIANT = re.compile(
    r'<(?P<tag>mi|mn|mo|mtext)(?P<before>[^>]*?)\s+mathvariant="(?P<variant>[a-z-]+)"(?P<after>[^>]*)>'
    r"(?P<text>[^<]*)</(?P=tag)>")
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")
# TeX environments latex2mathml lays out badly (aligned: its & end up as text) → ones it tables properly
_ENVIRONMENTS = [(re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{align*}")]


def _styled_char(ch: str, variant: str) -> str | None:
    name = unicodedata.name(ch, "")
    m = re.fullmatch(r"(?:LATIN|GREEK) (CAPITAL|SMALL) LETTER (.+)|(DIGIT .+)", name)
    if not m:
        return None
    tail = m[3] or f"{m[1]} {m[2]}"
    for candidate in (f"MATHEMATICAL {variant} {tail}", f"{_HOLE_PREFIX.get(variant, variant)} {tail}"):
        try:
            return unicodedata.lookup(candidate)
        except KeyError:
            pass
    if variant == "ITALIC" and tail == "SMALL H":
        return "\u210e"  # ℎ, the Planck constant, stands in the italic alphabet's hole
    return None


def _variant_to_unicode(m: re.Match) -> str:
    variant = _VARIANTS.get(m["variant"])
    text = html.unescape(m["text"])
    styled = [c if c.isspace() else _styled_char(c, variant) if variant else None for c in text]
    if not text or None in styled:
        return m[0]  # leave it to the browser (Firefox still honours mathvariant)
    return f"<{m['tag']}{m['before']}{m['after']}>{html.escape(''.join(styled), quote=False)}</{m['tag']}>"


_OPERATOR = re.compile(r"<mo(?P<attrs>[^>]*)>(?P<text>[^<]*)</mo>")
_CLOSING = set(")]}|‖⌋⌉⟩!′″")


def _tidy_operators(mathml: str) -> str:
    """Spacing as TeX sets it, where the browser's operator dictionary differs: a sign right after an opening
    bracket, a comma or another operator is unary ((5, −8) not (5, − 8)), and ``/`` gets no space (∂L/∂w)."""
    out, pos, previous = [], 0, None
    for m in _OPERATOR.finditer(mathml):
        text, attrs = html.unescape(m["text"]), m["attrs"]
        if text == "/" and "space" not in attrs:
            attrs += ' lspace="0em" rspace="0em"'
        elif (len(text) == 1 and text in "−+±∓" and "form=" not in attrs and previous is not None
              and previous[0] == m.start() and previous[1] not in _CLOSING):
            attrs += ' form="prefix"'
        out.append(f"{mathml[pos:m.start()]}<mo{attrs}>{m['text']}</mo>")
        pos, previous = m.end(), (m.end(), text)
    return "".join(out) + mathml[pos:]


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for one piece of TeX maths (no delimiters); raises what latex2mathml raises on bad TeX."""
    for pattern, replacement in _ENVIRONMENTS:
        tex = pattern.sub(replacement, tex)
    mathml = latex2mathml(tex, display="block" if display else "inline")
    mathml = _TOKEN_WITH_VARIANT.sub(_variant_to_unicode, mathml)
    return _tidy_operators(_BARE_AMPERSAND.sub("&amp;", mathml))


class DollarAwareInlineParser(MathInlineParser):
    """nbconvert's math-aware inline parser, with a stricter ``$…$`` so that money in a sentence is text.

    nbconvert (like MathJax) pairs any two ``$`` of a paragraph: in "between $5 and $10" or "costs $5; the rate
    $\\eta$ …" the text between them became maths. Here, as in pandoc, ``$…$`` is maths only when

    * the closing ``$`` is not followed by a digit, and
    * there is no space just inside the delimiters (``$x$``), or there is one inside both (``$ x $``), and
    * there is no unescaped ``$`` or backtick inside (a ``$`` in inline code never closes maths).

    Every piece of ``$…$`` maths in the released notebooks reads the same as with nbconvert's rule
    (tests/grader/unit/test_feedback_page.py checks it).
    """

    INLINE_MATH_TEX = (
        r"(?<![$\\])\$"
        r"(?P<math_inline_tex>(?=\S)(?:\\.|[^$\\`])+?(?<=\S)|(?=\s)(?:\\.|[^$\\`])+?(?<=\s))"
        r"\$(?!\d)"
    )
    SPECIFICATION = {**MathInlineParser.SPECIFICATION, "inline_math_tex": INLINE_MATH_TEX}


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, writing maths as MathML instead of TeX for MathJax.

    TeX that latex2mathml cannot read is shown as code (with its delimiters), and logged.
    """

    def __init__(self, *args, log=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.log = log

    def _math(self, tex: str, display: bool, delimiters: tuple[str, str]) -> str:
        try:
            return tex_to_mathml(tex, display)
        except Exception as e:  # latex2mathml raises its own errors and plain ones on malformed TeX
            if self.log is not None:
                self.log.warning("maths left as TeX in the feedback page (%s: %s): %r", type(e).__name__, e, tex)
            source = html.escape(delimiters[0] + tex + delimiters[1], quote=False)
            return f'<code class="tex-fallback">{source}</code>'

    def block_math(self, body: str) -> str:
        return self._math(body, True, ("$$", "$$"))

    def inline_math(self, body: str) -> str:
        return self._math(body, False, ("$", "$"))

    def latex_environment(self, name: str, body: str) -> str:
        env = f"\\begin{{{name}}}{body}\\end{{{name}}}"
        return self._math(env, True, ("", ""))


class FeedbackExporter(HTMLExporter):
    """``HTMLExporter`` for nbgrader's feedback template: maths as MathML, no MathJax, wrapping outputs.

    Without latex2mathml installed it warns and writes the maths as nbconvert does (TeX, MathJax from a CDN).
    """

    @default("extra_loaders")
    def _extra_loaders_default(self):
        return [DictLoader({"mathjax.html.j2": HEAD_TEMPLATE})]

    def _create_environment(self):
        environment = super()._create_environment()
        environment.globals["tex_left_for_mathjax"] = latex2mathml is None
        if latex2mathml is None:
            self.log.warning("latex2mathml is not installed (pip install 'nnlab[grade]'): the feedback pages' "
                             "maths needs MathJax from the network")
        return environment

    @pass_context
    def markdown2html(self, context, source):
        """Markdown cells and graders' comments with MathML maths; markdown outputs as nbconvert writes them."""
        if "output" in context or latex2mathml is None:
            return super().markdown2html(context, source)
        cell = context.get("cell", {})
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            log=self.log,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer, inline=DollarAwareInlineParser(hard_wrap=False)).render(source)
