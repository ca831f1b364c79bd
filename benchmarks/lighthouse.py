"""Benchmark: Lighthouse's four scores (performance, accessibility, best practices, SEO) of the website's pages, on
its default mobile emulation (a mid-range phone, its CPU slowed 4x, a slow 4G network, simulated), the median of
3 runs, with the Play page's Total Blocking Time.

The site that `python docs/build_site.py SITE_DIR` built is served on 127.0.0.1 as `python -m http.server -d
SITE_DIR` serves it, and Lighthouse 12.2.3 (docs/package-lock.json: Lighthouse 13 wants Node.js 22) runs Debian's
Chromium headless with the flags of tests/test_play.py, so nothing is asked of the network. Each run is printed
with the load average of the machine when it started: performance (Total Blocking Time most) drops when other
programs share the cores, the other three categories do not move with the load.

    python benchmarks/lighthouse.py SITE_DIR                   # the home page, a lesson page, the Play page
    python benchmarks/lighthouse.py SITE_DIR --all --runs 1    # every page of the site, once
    python benchmarks/lighthouse.py SITE_DIR --fail-under 90    # as .ci/run: exit code 1 below 90

Below each page, the audits that cost it points (their score under 1), by category. With --fail-under N the exit
code is 1 when a page's median accessibility, best practices or SEO is under N: those three do not depend on the
machine's speed. Performance is printed, never failed on: it is a timing, and a busy machine lowers it.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'docs'))
import audit_tools  # noqa: E402  (docs/audit_tools.py: Lighthouse from docs/package-lock.json, Chromium, a server)
from audit_tools import CHROMIUM, CHROMIUM_FLAGS, Server  # noqa: E402

CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo']
CHECKED = ['accessibility', 'best-practices', 'seo']  # --fail-under: the categories a busy machine does not move
SHORT = {'performance': 'perf', 'accessibility': 'a11y', 'best-practices': 'bp', 'seo': 'seo'}
PAGES = ['index.html', '04_cnn_mnist/cnn_mnist.html', 'play/']  # The home page, a lesson page, the Play page


ATTEMPTS = 3  # A busy machine sometimes makes Lighthouse give up (a DevTools call over its time limit): try again


def lighthouse(cli, url, out_json):
    """One Lighthouse run of `url` (mobile, its defaults); return its report (the JSON), or raise RuntimeError."""
    command = ['node', str(cli), url, '--quiet', '--output=json', f'--output-path={out_json}',
               f'--only-categories={",".join(CATEGORIES)}', f'--chrome-flags={" ".join(CHROMIUM_FLAGS)}']
    result = subprocess.run(command, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True,
                            encoding='utf-8', timeout=300)
    if result.returncode != 0 or not Path(out_json).is_file():
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError(f'Lighthouse failed on {url}: {lines[-1] if lines else result.returncode}')
    return json.loads(Path(out_json).read_text(encoding='utf-8'))


def summary(report):
    """The four scores (0-100), Total Blocking Time (ms) and the audits that lost points, by category."""
    scores = {name: round(100 * report['categories'][name]['score']) for name in CATEGORIES}
    lost = {}
    for name in CATEGORIES:
        for ref in report['categories'][name]['auditRefs']:
            audit = report['audits'][ref['id']]
            if ref['weight'] > 0 and audit['score'] is not None and audit['score'] < 1:
                value = f" {audit['displayValue']}" if audit.get('displayValue') else ''
                lost.setdefault(name, []).append(f"{ref['id']} ({audit['score']:.2f}{value})")
    tbt = report['audits']['total-blocking-time']['numericValue']
    return scores, tbt, lost, report.get('runWarnings', [])


def long_tasks(report):
    """The main thread's long tasks (over 50 ms, as Lighthouse simulated them) that Total Blocking Time counts: a list
    of 'start ms: duration ms url'."""
    items = (report['audits'].get('long-tasks', {}).get('details') or {}).get('items', [])
    return [f"{item['startTime']:.0f}: {item['duration']:.0f} ms {item['url'].rsplit('/', 1)[-1] or item['url']}"
            for item in items]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('site_dir', metavar='SITE_DIR', help='the site that docs/build_site.py built')
    parser.add_argument('pages', nargs='*', help=f'pages, relative to SITE_DIR (default: {" ".join(PAGES)})')
    parser.add_argument('--all', action='store_true', help='every HTML page of the site')
    parser.add_argument('--runs', type=int, default=3, help='runs of each page, their median shown (default: 3)')
    parser.add_argument('--fail-under', type=int, default=None, metavar='N',
                        help='exit code 1 if a median accessibility, best practices or SEO score is under N '
                             '(default: only print)')
    parser.add_argument('--isolated', action='store_true',
                        help='serve the site cross-origin isolated (COOP and COEP headers), as a host can')
    parser.add_argument('--json', default=None, help='write every run\'s scores to this JSON file')
    parser.add_argument('--reports', default=None, metavar='DIR',
                        help="keep each run's whole Lighthouse report (JSON: the Lighthouse viewer opens it) in DIR")
    args = parser.parse_args(argv)
    site = Path(args.site_dir).resolve()
    if not (site / 'index.html').is_file():
        parser.error(f'{args.site_dir} has no index.html: build it with python docs/build_site.py {args.site_dir}')
    if args.runs < 1:
        parser.error('--runs must be at least 1')
    if not Path(CHROMIUM).is_file():
        print(f'error: {CHROMIUM} is missing (Debian: apt-get install chromium)', file=sys.stderr)
        return 1
    pages = audit_tools.site_pages(site) if args.all else (args.pages or PAGES)
    try:
        cli = audit_tools.install() / audit_tools.LIGHTHOUSE_CLI
    except audit_tools.AuditToolsError as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(machine_line())
    node = subprocess.run(['node', '--version'], capture_output=True, encoding='utf-8').stdout.strip()
    chromium = subprocess.run([CHROMIUM, '--version'], capture_output=True, encoding='utf-8').stdout.strip()
    version = json.loads((cli.parents[1] / 'package.json').read_text(encoding='utf-8'))['version']
    print(f'Lighthouse {version} (mobile emulation, simulated throttling), {chromium}, Node.js {node}; '
          f'{args.runs} run(s) per page; site {site}, served as http.server serves it'
          + (' with COOP and COEP headers (cross-origin isolated)' if args.isolated else ''))
    server = Server(site, isolated=args.isolated)
    results, failed = {}, []
    try:
        with tempfile.TemporaryDirectory(prefix='lighthouse_') as tmp:
            reports = Path(args.reports or tmp)
            reports.mkdir(parents=True, exist_ok=True)
            for page in pages:
                runs = []
                for number in range(args.runs):
                    load = os.getloadavg()[0]
                    start = time.time()
                    name = f"{page.strip('/').replace('/', '_') or 'index'}_{number + 1}.json"
                    for attempt in range(1, ATTEMPTS + 1):
                        try:
                            report = lighthouse(cli, server.url + page, reports / name)
                            break
                        except (RuntimeError, subprocess.TimeoutExpired) as error:
                            print(f'  {page} run {number + 1}, attempt {attempt} of {ATTEMPTS}: {error}', flush=True)
                    else:
                        print(f'error: Lighthouse failed {ATTEMPTS} times on {page}', file=sys.stderr)
                        return 1
                    scores, tbt, lost, warnings = summary(report)
                    tasks = long_tasks(report)
                    runs.append({'scores': scores, 'tbt_ms': tbt, 'load': load, 'lost': lost, 'long_tasks': tasks})
                    print(f'  {page} run {number + 1}: ' + ' '.join(f'{SHORT[c]} {scores[c]}' for c in CATEGORIES)
                          + f', TBT {tbt:.0f} ms; load {load:.2f} at the start, {time.time() - start:.0f} s'
                          + (f'\n    long tasks (simulated start: duration): {", ".join(tasks)}' if tasks else '')
                          + ''.join(f'\n    warning: {w}' for w in warnings), flush=True)
                results[page] = runs
    finally:
        server.close()
    print(f'\n{"page":<48} {"perf":>5} {"a11y":>5} {"bp":>5} {"seo":>5} {"TBT ms":>7} {"load":>10}')
    for page, runs in results.items():
        medians = {c: statistics.median(run['scores'][c] for run in runs) for c in CATEGORIES}
        tbt = statistics.median(run['tbt_ms'] for run in runs)
        loads = [run['load'] for run in runs]
        print(f'{page:<48} ' + ' '.join(f'{medians[c]:>5.0f}' for c in CATEGORIES)
              + f' {tbt:>7.0f} {min(loads):>4.1f}-{max(loads):<4.1f}')
        lost = {}
        for run in runs:
            for category, audits in run['lost'].items():
                lost.setdefault(category, set()).update(audit.split(' (')[0] for audit in audits)
        for category, audits in lost.items():
            print(f'    {SHORT[category]} lost points in some run: {", ".join(sorted(audits))}')
        if args.fail_under is not None and min(medians[c] for c in CHECKED) < args.fail_under:
            failed.append(page)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + '\n', encoding='utf-8')
    if failed:
        print(f'error: accessibility, best practices or SEO under {args.fail_under} on {", ".join(failed)}',
              file=sys.stderr)
        return 1
    return 0


def machine_line():
    """The CPU (common.describe_machine) and how many cores, or the CPU alone where PyTorch is not installed."""
    try:
        import common
        return f'{common.describe_machine()}, {os.cpu_count()} cores'
    except ImportError:
        return f'{os.cpu_count()} cores'


if __name__ == '__main__':
    sys.exit(main())
