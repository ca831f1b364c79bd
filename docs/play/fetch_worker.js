// The Play page's downloads of its models, off the page's main thread: their bytes (megabytes) are read here and
// handed to the page whole (transferred, not copied), so that the page's thread stays free for a finger on the pad.
// play.js posts a file's URL; this worker answers {url, bytes} (an ArrayBuffer) or {url, error} (a message).
self.onmessage = async ({data: url}) => {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.split('/').pop()}: HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    self.postMessage({url, bytes}, [bytes]);
  } catch (error) {
    self.postMessage({url, error: error.message});
  }
};
