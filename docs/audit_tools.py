"""The website's audit tools from the npm registry, at the versions docs/package-lock.json pins: axe-core (the
accessibility checks of tests/test_site.py and tests/test_play.py) and Lighthouse (benchmarks/lighthouse.py); and
what they share with the Play page's tests: Debian's Chromium, its flags, a static server of the site.

    python docs/audit_tools.py                 # npm ci of both; prints the node_modules folder
    python docs/audit_tools.py axe SITE_DIR    # axe-core on every page of a built site, at a phone's and a
                                               # laptop's size: each violation; exit code 1 on a serious one

npm runs in a temporary copy of docs/package.json and docs/package-lock.json (the repository stays untouched), as
the Play page's build does with docs/play/'s; what it installed is kept in a cache folder named by the lock file's
hash and the packages asked for (~/.cache/dl_tutorial_docs/), so later runs start at once. The tests ask for
axe-core alone (one file, no dependencies): its entry of the lock, with the same integrity hash, is all npm sees.
The Play page's own packages stay in docs/play/package.json: its build installs only what the page serves.
"""
import argparse
import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
CHROMIUM = '/usr/bin/chromium'   # Debian's (apt-get install chromium): no browser of Playwright's own is downloaded
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--no-first-run']  # Nothing asked of the network
NPM_CI = ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline']
AXE_SCRIPT = 'axe-core/axe.min.js'      # Under node_modules: injected into each page (axe.run)
LIGHTHOUSE_CLI = 'lighthouse/cli/index.js'


class AuditToolsError(Exception):
    """The audit tools cannot be installed (no npm, npm failed): said in one line."""


def lock_subset(packages):
    """(package.json, package-lock.json) of docs/ that install only `packages` (dependencies-free ones), with the
    versions and integrity hashes of docs/package-lock.json; all of docs/ when `packages` is None."""
    manifest = json.loads((DOCS_DIR / 'package.json').read_text(encoding='utf-8'))
    lock = json.loads((DOCS_DIR / 'package-lock.json').read_text(encoding='utf-8'))
    if packages is None:
        return manifest, lock
    entries = {}
    for name in packages:
        entry = lock['packages'].get(f'node_modules/{name}')
        if entry is None or name not in manifest['devDependencies']:
            raise AuditToolsError(f'{name} is not pinned in docs/package.json and docs/package-lock.json')
        if entry.get('dependencies'):
            raise AuditToolsError(f'{name} has dependencies: install all of docs/package.json instead')
        entries[f'node_modules/{name}'] = entry
    pinned = {name: manifest['devDependencies'][name] for name in packages}
    root = dict(lock['packages'][''], devDependencies=pinned)
    return dict(manifest, devDependencies=pinned), dict(lock, packages={'': root, **entries})


def cache_folder(manifest, lock):
    digest = hashlib.sha256(json.dumps([manifest, lock], sort_keys=True).encode('utf-8')).hexdigest()[:16]
    root = Path(os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache')
    return root / 'dl_tutorial_docs' / f'audit-{digest}'


def install(packages=None):
    """The node_modules folder with `packages` of docs/package.json (all when None) installed by `npm ci`, from the
    cache when an earlier run installed the same lock; raise `AuditToolsError` if npm is missing or fails."""
    manifest, lock = lock_subset(packages)
    cached = cache_folder(manifest, lock)
    if (cached / 'node_modules').is_dir():
        return cached / 'node_modules'
    npm = shutil.which('npm')
    if npm is None:
        raise AuditToolsError('npm is missing: install Node.js (e.g. apt-get install npm) for axe-core and Lighthouse')
    cached.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix='partial_', dir=cached.parent))
    try:
        for name, content in (('package.json', manifest), ('package-lock.json', lock)):
            (work / name).write_text(json.dumps(content, indent=2) + '\n', encoding='utf-8')
        result = subprocess.run([npm, *NPM_CI], cwd=work, capture_output=True, text=True, encoding='utf-8')
        if result.returncode != 0:
            lines = (result.stderr or result.stdout).strip().splitlines()
            raise AuditToolsError(f'npm ci failed for the audit tools: {lines[-1] if lines else result.returncode}')
        try:
            work.rename(cached)  # Whole or not at all: another run that was first keeps its copy
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return cached / 'node_modules'


def axe_version():
    return json.loads((install(['axe-core']) / 'axe-core' / 'package.json').read_text(encoding='utf-8'))['version']


def axe_script():
    """The text of axe.min.js (axe-core, at its pinned version), to inject into a page."""
    return (install(['axe-core']) / AXE_SCRIPT).read_text(encoding='utf-8')


SERIOUS = ('serious', 'critical')


def axe_violations(page, script):
    """axe-core's violations of the page open in Playwright's `page` (all its rules but the experimental ones), as
    [{id, impact, help, nodes: [target selectors]}]; `script` is axe_script()'s text."""
    if not page.evaluate('typeof window.axe === "object"'):
        page.add_script_tag(content=script)
    found = page.evaluate('async () => (await axe.run(document)).violations')
    return [{'id': each['id'], 'impact': each['impact'], 'help': each['help'],
             'nodes': [' '.join(map(str, node['target'])) for node in each['nodes']]} for each in found]


class Server:
    """`folder` served on 127.0.0.1 (a free port) by http.server in a thread, as `python -m http.server -d folder`
    serves it: no header of its own (no compression, no cross-origin isolation), as a reader's server would.
    isolated=True adds the two headers that make a page cross-origin isolated (COOP and COEP), as a host can."""

    def __init__(self, folder, isolated=False):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def end_headers(self):
                if isolated:
                    self.send_header('Cross-Origin-Opener-Policy', 'same-origin')
                    self.send_header('Cross-Origin-Embedder-Policy', 'require-corp')
                super().end_headers()
        class QuietServer(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # A browser that leaves a page drops its downloads
                if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                    super().handle_error(request, client_address)
        self.httpd = QuietServer(('127.0.0.1', 0), functools.partial(Quiet, directory=folder))
        self.url = f'http://127.0.0.1:{self.httpd.server_port}/'
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


SIZES = {'phone': {'width': 390, 'height': 844}, 'desktop': {'width': 1280, 'height': 720}}  # axe-core's (issue 38)


def site_pages(site):
    """Every HTML page of a built site, relative to it: the home page, each section's index, every script's page,
    the Play page (as play/), Sphinx's search and index pages."""
    pages = sorted(path.relative_to(site).as_posix() for path in Path(site).rglob('*.html')
                   if not path.relative_to(site).parts[0].startswith(('_', '.')))
    return [page.replace('play/index.html', 'play/') for page in pages]


def axe_site(site, sizes=SIZES):
    """axe-core's violations of every page of `site`, served, in headless Chromium at each of `sizes`:
    {(page, size): violations}, and the URLs that answered 400 or more."""
    from playwright.sync_api import sync_playwright
    script = axe_script()
    server = Server(site)
    found, missing = {}, []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for size, viewport in sizes.items():
                phone = size == 'phone'
                context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
                page = context.new_page()
                page.on('response', lambda response: response.status >= 400 and missing.append(response.url))
                for name in site_pages(site):
                    page.goto(server.url + name, wait_until='load')
                    found[name, size] = axe_violations(page, script)
                context.close()
            browser.close()
    finally:
        server.close()
    return found, sorted(set(missing))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('command', nargs='?', choices=['install', 'axe'], default='install',
                        help='install (default): npm ci of the tools; axe: axe-core on every page of SITE_DIR')
    parser.add_argument('site_dir', nargs='?', metavar='SITE_DIR', help='axe: the site that docs/build_site.py built')
    args = parser.parse_args(argv)
    if args.command == 'axe' and not (args.site_dir and (Path(args.site_dir) / 'index.html').is_file()):
        parser.error('axe needs SITE_DIR, a folder that python docs/build_site.py SITE_DIR built')
    try:
        if args.command == 'install':
            print(install())
            return 0
        if not Path(CHROMIUM).is_file():
            raise AuditToolsError(f'{CHROMIUM} is missing (Debian: apt-get install chromium)')
        found, missing = axe_site(Path(args.site_dir).resolve())
    except (AuditToolsError, ImportError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    serious = 0
    for (name, size), violations in found.items():
        for each in violations:
            serious += each['impact'] in SERIOUS
            print(f"{name} ({size}): {each['id']} ({each['impact']}): {each['help']}: {len(each['nodes'])} "
                  f"element(s), e.g. {', '.join(each['nodes'][:3])}")
    pages = len({name for name, _ in found})
    total = sum(map(len, found.values()))
    sizes = ' and '.join(f"{viewport['width']}x{viewport['height']}" for viewport in SIZES.values())
    print(f'axe-core {axe_version()}: {pages} pages at {sizes}: {total} violation(s), {serious} serious or '
          f'critical; {len(missing)} URL(s) answered 400 or more' + ''.join(f'\n  missing: {url}' for url in missing))
    return 1 if serious or missing else 0


if __name__ == '__main__':
    sys.exit(main())
