// What the Furo theme lacks for a keyboard and a screen reader, on every page of the site (issue 38; site.css,
// site_pages.py).
//
// On a phone or a tablet, Furo opens its two drawers (the tutorial's pages; this page's contents) with hidden
// checkboxes that its icons, <label>s, toggle: a finger reaches them, a keyboard does not (pradyunsg/furo#660).
// Each icon becomes a button that looks the same: Tab reaches it, Enter or Space opens or closes its drawer, a
// screen reader hears its name and whether the drawer is open (aria-expanded); Escape closes an open drawer.
(() => {
  const toggles = new Map();  // checkbox -> its buttons (this page's contents has two icons: header and article)
  for (const label of document.querySelectorAll('label.nav-overlay-icon, label.toc-overlay-icon')) {
    const box = document.getElementById(label.htmlFor);
    if (!box) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = label.className;
    button.setAttribute('aria-label', box.getAttribute('aria-label') || 'Toggle the sidebar');
    button.append(...label.childNodes);
    button.addEventListener('click', () => box.click());  // The checkbox's own click: Furo's CSS does the rest
    label.replaceWith(button);
    if (!toggles.has(box)) toggles.set(box, []);
    toggles.get(box).push(button);
  }
  const show = box => toggles.get(box).forEach(button => button.setAttribute('aria-expanded', box.checked));
  for (const box of toggles.keys()) {
    box.addEventListener('change', () => show(box));  // A button, or a tap on the overlay (a <label> of Furo's)
    show(box);
  }
  document.addEventListener('keydown', event => {
    if (event.key !== 'Escape') return;
    for (const [box, buttons] of toggles) {
      if (!box.checked) continue;
      box.click();
      buttons.find(button => button.offsetParent !== null)?.focus();  // Back to the icon that is on the screen
    }
  });
})();
