"""What every page of the site gets, whatever made it (a script's page, a section's index, the home page, pages that
later issues add): a meta description, code and output blocks that a keyboard reaches and scrolls, thumbnails
and landmarks with names. conf.py connects these functions to Sphinx's events; they change no page's text.

axe-core and Lighthouse (tests/test_site.py, benchmarks/lighthouse.py) found what these fix on the Furo theme
with sphinx-gallery: thumbnail links whose only text sphinx-gallery's CSS hides (`link-name`; site.css shows it to
screen readers), code blocks that scroll but take no focus (`scrollable-region-focusable`), Furo's two unnamed
<aside> landmarks (`landmark-unique`), and no meta description; and, for a phone's first paint (Lighthouse's
performance), images out of sight that were loaded before it.
"""
import html
import re
from pathlib import Path

from docutils import nodes

DESCRIPTION_LENGTH = 160  # Characters: what search engines show of a page's description
ASIDE_NAMES = {'sidebar-drawer': 'Pages of the tutorial', 'toc-drawer': 'On this page'}  # Furo's two <aside>
NOT_PROSE = (nodes.Admonition, nodes.table, nodes.field_list, nodes.footnote)  # A note, the settings note among them


def text_of(fragment):
    """The text of an HTML fragment (a heading): no tags, no Sphinx's pilcrow, its entities read, spaces folded."""
    text = re.sub(r'<a class="headerlink".*?</a>|<[^>]+>', '', fragment)
    return ' '.join(html.unescape(text).split())


def shortened(text, length=DESCRIPTION_LENGTH):
    """`text` cut at a word to at most `length` characters, an ellipsis where it was cut."""
    text = ' '.join(text.split())
    if len(text) <= length:
        return text
    return text[:length - 1].rsplit(' ', 1)[0].rstrip(',;:') + '\N{HORIZONTAL ELLIPSIS}'


def description(doctree, title, project):
    """A page's description: its first paragraph of prose (not a note, not a link alone, as the thumbnails of an
    index are), else its title and the pages it links to, else its title and the project."""
    links = []
    for paragraph in doctree.findall(nodes.paragraph) if doctree is not None else []:
        if any(isinstance(parent, NOT_PROSE) for parent in ancestors(paragraph)):
            continue
        text = paragraph.astext().strip()
        children = [child for child in paragraph.children if not (isinstance(child, nodes.Text) and not child.strip())]
        if len(children) == 1 and isinstance(children[0], nodes.reference):
            links.append(text)
        elif len(text) >= 40:
            return shortened(text)
    if links:
        return shortened(f'{title}: {"; ".join(links)}')
    return shortened(f'{title} - {project}' if title and title != project else project)


def ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


# A heading, or the start of a code block as Pygments writes it: <div class="highlight-..."><div class="highlight"><pre>
HEADING_OR_BLOCK = re.compile(r'<h[1-6][^>]*>(?P<heading>.*?)</h[1-6]>'
                              r'|<div class="(?P<wrapper>[^"]*)"><div class="highlight"><pre>', re.S)


def focusable_blocks(body):
    """Every code and output block (<pre>) made a named region a keyboard can reach (Tab) and scroll (the arrow
    keys): tabindex="0", role="region" and a name unique on the page, 'Code: <its heading>' or 'Output: ...'."""
    heading, seen = '', {}

    def label(match):
        nonlocal heading
        if match.group('heading') is not None:
            heading = text_of(match.group('heading'))
            return match.group(0)
        kind = 'Output' if 'sphx-glr-script-out' in match.group('wrapper') else 'Code'
        name = f'{kind}: {heading}' if heading else kind
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f'{name} ({seen[name]})'
        return (f'<div class="{match.group("wrapper")}"><div class="highlight">'
                f'<pre tabindex="0" role="region" aria-label="{html.escape(name)}">')
    return HEADING_OR_BLOCK.sub(label, body)


def thumbnail_titles(body):
    """sphinx-gallery's thumbnails: the title under each picture is hidden from screen readers, which read it once,
    as the name of the thumbnail's link."""
    return body.replace('<div class="sphx-glr-thumbnail-title">',
                        '<div class="sphx-glr-thumbnail-title" aria-hidden="true">')


EAGER_THUMBNAILS = 4  # The thumbnails of an index page's first screen (a row on a laptop): loaded at once
IMAGE = re.compile(r'<img\b(?![^>]*\bloading=)[^>]*>')


def lazy_images(body):
    """The figures of a script's output (they come after its title, notes and first code block: below a phone's
    first screen) and an index's thumbnails after its first row: loaded as the reader scrolls to them
    (loading="lazy"), so the page's first screen is not kept waiting for images out of sight."""
    count = 0

    def lazy(match):
        nonlocal count
        tag = match.group(0)
        if 'sphx-glr-single-img' in tag or 'sphx-glr-multi-img' in tag:
            return tag.replace('<img', '<img loading="lazy"', 1)
        if '_thumb.' in tag:
            count += 1
            if count > EAGER_THUMBNAILS:
                return tag.replace('<img', '<img loading="lazy"', 1)
        return tag
    return IMAGE.sub(lazy, body)


def page_context(app, pagename, templatename, context, doctree):
    """Sphinx `html-page-context`: the page's meta description; its code blocks focusable; its thumbnails named;
    its images out of the first screen loaded lazily."""
    title = text_of(context.get('title') or '') or {'search': 'Search', 'genindex': 'Index'}.get(pagename, '')
    text = description(doctree, title, app.config.project)
    context['metatags'] = context.get('metatags', '') + f'\n<meta name="description" content="{html.escape(text)}" />'
    if context.get('body'):
        context['body'] = lazy_images(thumbnail_titles(focusable_blocks(context['body'])))


def name_landmarks(app, exception):
    """Sphinx `build-finished`: Furo's two <aside> landmarks (the pages, this page's contents) named, so that a
    screen reader's list of landmarks tells them apart."""
    if exception is not None or app.builder.format != 'html':
        return
    for page in Path(app.outdir).rglob('*.html'):
        text = page.read_text(encoding='utf-8')
        named = text
        for css_class, name in ASIDE_NAMES.items():
            named = re.sub(rf'<aside class="{css_class}([^"]*)">',
                           rf'<aside class="{css_class}\1" aria-label="{html.escape(name)}">', named)
        if named != text:
            page.write_text(named, encoding='utf-8')
