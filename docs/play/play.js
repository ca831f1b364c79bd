// The Play page: the tutorial's CNN reads a digit drawn on the pad or photographed, its RNN guesses the language of a
// name; both run here with ONNX Runtime Web (WebAssembly), from the files served beside this page.
//
// For the tests (tests/test_play.py) the page leaves what it computed on `window`: lastDigitInput (the 28 x 28
// input, 784 numbers), lastDigitProbs, lastDigitFrom ('pad' or the file's name), digitGuessCount,
// lastNameProbs ({name, probs} in the model's order of languages), nameGuessCount, padInk() (the pad's ink, 0..1),
// digitBusy and nameBusy (a guess runs or waits) and playTimings (milliseconds since the page was opened: models
// ready, first guesses).
//
// The page answers at once, while the models load: the pad draws from the first touch and the name field takes
// letters, each says that its model is loading, and guesses as soon as it is ready. Nothing heavy runs on the page's
// main thread: the models' files are downloaded by a worker (fetch_worker.js); ONNX Runtime Web is imported after
// the page's own handlers are in place and runs in a worker of its own (env.wasm.proxy), where its WebAssembly is
// compiled, the sessions are created and every guess is computed.
import {BlankImage, centerDigit, removePaper, shrink, readImageFile} from './mnist_image.js';

const PAD_SIZE = 280;       // Pixels of the square pad (10 x MNIST's 28), as draw_digit.py's canvas
const BRUSH_RADIUS = 11.5;  // draw_digit.py's pen: radius 11 and a soft edge of one pixel
const TOP_K = 5;            // Languages shown, as report_predict prints them
const CNN_FILE = 'cnn_mnist.onnx';
const RNN_FILE = 'rnn_name2lang.onnx';

const LOADING = 'The model is still loading: it guesses as soon as it is ready.';

// ONNX Runtime Web, once imported (loadRuntime): ort.Tensor makes the models' inputs
let ort = null;
let runtime = null;

function loadRuntime() {
  runtime ??= import('./ort/ort.wasm.min.mjs').then(module => {
    ort = module;
    ort.env.wasm.proxy = true;    // WebAssembly, sessions and guesses in a worker: the page's thread stays free
    ort.env.wasm.numThreads = 1;  // Threads need a cross-origin isolated page, which a plain static server does not give
    ort.env.wasm.wasmPaths = new URL('ort/', import.meta.url).href;  // The .wasm and .mjs served beside this page
    ort.env.logLevel = 'error';
    return ort;
  });
  return runtime;
}

const $ = id => document.getElementById(id);
const timings = window.playTimings = {};
const models = {};
window.digitGuessCount = 0;
window.nameGuessCount = 0;
// Busy while a guess runs or waits: the tests wait for the last one
Object.defineProperty(window, 'digitBusy', {get: () => digitRunning || digitSource !== null});
Object.defineProperty(window, 'nameBusy', {get: () => nameRunning});

// --- Loading the models and what the export wrote beside them ------------------------------------------------
function accuracyText(accuracy, what) {
  if (typeof accuracy !== 'number') return `accuracy not measured ${what}`;  // null: the export did not measure it
  const value = accuracy <= 1 ? 100 * accuracy : accuracy;  // A fraction (0.991) or already a percentage
  return `accuracy ${value.toFixed(1)}\u00a0% ${what}`;  // No line break before the %
}

// A file's bytes, downloaded by fetch_worker.js: a model's megabytes never pass through the page's thread
let fetcher = null;
const fetching = new Map();  // URL -> [resolve, reject]

function fetchOffThread(file) {
  const url = new URL(file, import.meta.url).href;
  if (!fetcher) {
    fetcher = new Worker(new URL('fetch_worker.js', import.meta.url));
    fetcher.onmessage = ({data}) => {
      const [resolve, reject] = fetching.get(data.url);
      fetching.delete(data.url);
      if (data.error) reject(new Error(data.error));
      else resolve(new Uint8Array(data.bytes));
    };
  }
  return new Promise((resolve, reject) => {
    fetching.set(url, [resolve, reject]);
    fetcher.postMessage(url);
  });
}

async function loadModel(file) {
  const [session, info] = await Promise.all([
    Promise.all([loadRuntime(), fetchOffThread(file)])
      .then(([, bytes]) => ort.InferenceSession.create(bytes, {executionProviders: ['wasm']})),
    fetch(`${file}.json`).then(response => {
      if (!response.ok) throw new Error(`${file}.json: HTTP ${response.status}`);
      return response.json();
    }),
  ]);
  return {session, info, queue: Promise.resolve()};
}

// One run at a time on a session: each waits for the one before
function run(model, tensor) {
  const result = model.queue.then(async () => {
    const outputs = await model.session.run({[model.session.inputNames[0]]: tensor});
    return Float32Array.from(outputs[model.session.outputNames[0]].data);
  });
  model.queue = result.catch(() => undefined);
  return result;
}

function describe(id, text, html) {
  const line = $(id);
  line.classList.remove('error');
  line.innerHTML = html;
  line.append(text);
}

async function start() {
  buildDigitBars();
  clearPad();
  const loading = [
    loadModel(CNN_FILE).then(model => {
      models.cnn = model;
      timings.cnnReady = performance.now();
      describe('digit-model', `: ${accuracyText(model.info.accuracy, 'on the 10,000 MNIST test images')}`,
               'MyCNN of <a href="../04_cnn_mnist/cnn_mnist.html">cnn_mnist.py</a>');
      if (noteIs(LOADING)) setNote(DRAW_NOTE);
      guessDigit();
    }),
    loadModel(RNN_FILE).then(model => {
      models.rnn = model;
      timings.rnnReady = performance.now();
      describe('name-model', `: ${accuracyText(model.info.accuracy, 'on held-out names')}, `
               + `${model.info.target_names.length} languages`,
               'MyRNN of <a href="../05_rnn_name2lang/rnn_name2lang.html">rnn_name2lang.py</a>');
      guessName();
    }),
  ];
  const results = await Promise.allSettled(loading);
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      const line = $(['digit-model', 'name-model'][i]);
      line.textContent = `The model could not be loaded: ${result.reason.message || result.reason}`;
      line.classList.add('error');
      console.error(result.reason);
    }
  });
  if (!models.cnn && noteIs(LOADING)) setNote(DRAW_NOTE);
  if (!models.rnn && $('name-said').textContent === LOADING) $('name-said').textContent = '';
}

// --- The digit: the pad, a photo, the guess ------------------------------------------------------------------
const pad = $('digit-pad');
const padContext = pad.getContext('2d', {willReadFrequently: true});
let drawing = null;        // The last point of the stroke being drawn
let showingPhoto = false;  // The pad shows a chosen photo: the next stroke starts a new drawing
let digitSource = null;    // What to guess next: () => {input, from}, or null when nothing is new
let digitRunning = false;

function clearPad() {
  padContext.fillStyle = '#fff';
  padContext.fillRect(0, 0, PAD_SIZE, PAD_SIZE);
  showingPhoto = false;
}

// The pad's ink as draw_digit.py keeps it: 0 paper, 1 ink, one value per pixel
function padInk() {
  const rgba = padContext.getImageData(0, 0, PAD_SIZE, PAD_SIZE).data;
  const ink = new Float32Array(PAD_SIZE * PAD_SIZE);
  for (let i = 0; i < ink.length; i++) ink[i] = 1 - rgba[4 * i] / 255;
  return {data: ink, height: PAD_SIZE, width: PAD_SIZE};
}
window.padInk = () => Array.from(padInk().data);

function padPoint(event) {
  const box = pad.getBoundingClientRect();
  return [(event.clientX - box.left) * PAD_SIZE / box.width, (event.clientY - box.top) * PAD_SIZE / box.height];
}

function strokeTo([x, y]) {
  padContext.fillStyle = padContext.strokeStyle = '#000';
  padContext.lineWidth = 2 * BRUSH_RADIUS;
  padContext.lineCap = padContext.lineJoin = 'round';
  padContext.beginPath();
  if (drawing) {
    padContext.moveTo(...drawing);
    padContext.lineTo(x, y);
    padContext.stroke();
  } else {
    padContext.arc(x, y, BRUSH_RADIUS, 0, 2 * Math.PI);
    padContext.fill();
  }
  drawing = [x, y];
}

pad.addEventListener('pointerdown', event => {
  if (event.pointerType === 'mouse' && event.button !== 0) return;
  event.preventDefault();
  pad.setPointerCapture(event.pointerId);
  if (showingPhoto) clearPad();
  drawing = null;
  strokeTo(padPoint(event));
  guessPad();
});
pad.addEventListener('pointermove', event => {
  if (!drawing) return;
  const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
  for (const each of events.length ? events : [event]) strokeTo(padPoint(each));
  guessPad();
});
for (const name of ['pointerup', 'pointercancel']) {
  pad.addEventListener(name, () => {
    if (drawing) guessPad();
    drawing = null;
  });
}

const DRAW_NOTE = 'Draw one digit, large, with the mouse or a finger, or choose a photo of one written on paper.';

$('digit-clear').addEventListener('click', () => {
  clearPad();
  $('digit-file').value = '';
  setNote(DRAW_NOTE);
  guessPad();
});

$('digit-file').addEventListener('change', async () => {
  const file = $('digit-file').files[0];
  if (!file) return;
  setNote(`Reading ${file.name}…`);
  try {
    const image = await readImageFile(file);  // Upright, gray
    showOnPad(image);
    const input = centerDigit(removePaper(shrink(image)));
    setNote(`${file.name} (${image.width} x ${image.height}), turned upright, its paper removed.`);
    requestDigit(() => ({input, from: file.name}));
  } catch (error) {
    setNote(error instanceof BlankImage ? `${file.name}: ${error.message}` : error.message, true);
    showResult(null, null, file.name);
  }
  $('digit-file').value = '';  // The same file chosen again (a new photo of the same name) is read again
});

function noteIs(text) {
  return $('digit-note').textContent.replace(/\s+/g, ' ').trim() === text;
}

function setNote(text, isError = false) {
  $('digit-note').textContent = text;
  $('digit-note').classList.toggle('error', isError);
}

// The chosen photo on the pad, upright and whole, as the model's preparation read it
function showOnPad(image) {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [image.width, image.height];
  const context = canvas.getContext('2d');
  const pixels = context.createImageData(image.width, image.height);
  image.data.forEach((value, i) => {
    pixels.data.fill(Math.round(255 * value), 4 * i, 4 * i + 3);
    pixels.data[4 * i + 3] = 255;
  });
  context.putImageData(pixels, 0, 0);
  clearPad();
  const scale = PAD_SIZE / Math.max(image.width, image.height);
  const [width, height] = [image.width * scale, image.height * scale];
  padContext.drawImage(canvas, (PAD_SIZE - width) / 2, (PAD_SIZE - height) / 2, width, height);
  showingPhoto = true;
}

function guessPad() {
  requestDigit(() => {
    try {
      return {input: centerDigit(padInk()), from: 'pad'};  // draw_digit.py: prepare_image(the ink) centers it
    } catch (error) {
      if (error instanceof BlankImage) return {input: null, from: 'pad'};
      throw error;
    }
  });
}

// The latest drawing wins: while the model reads one (or loads), later strokes wait as one request
function requestDigit(source) {
  digitSource = source;
  if (!models.cnn && noteIs(DRAW_NOTE)) setNote(LOADING);
  guessDigit();
}

async function guessDigit() {
  if (digitRunning || !models.cnn) return;
  digitRunning = true;
  try {
    while (digitSource) {
      const {input, from} = digitSource();
      digitSource = null;
      let probs = null;
      if (input) {
        // A copy: the worker takes the tensor's memory (a transfer), the page keeps `input` to show it
        const logProbs = await run(models.cnn, new ort.Tensor('float32', Float32Array.from(input), [1, 1, 28, 28]));
        probs = Array.from(logProbs, Math.exp);  // The model gives log-probabilities (log_softmax)
      }
      showResult(input, probs, from);
    }
  } finally {
    digitRunning = false;
  }
}

function buildDigitBars() {
  const bars = $('digit-probs');
  for (let digit = 0; digit < 10; digit++) {
    const column = document.createElement('div');
    column.className = 'column';
    column.innerHTML = '<span class="value"></span><span class="track"><span class="fill"></span></span>'
      + `<span class="label">${digit}</span>`;
    bars.append(column);
  }
}

function showResult(input, probs, from) {
  const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
  $('digit-guess').textContent = probs ? String(best) : '';
  $('digit-confidence').textContent = probs ? `(${(100 * probs[best]).toFixed(0)} %)` : '';
  [...$('digit-probs').children].forEach((column, digit) => {
    const p = probs ? probs[digit] : 0;
    column.classList.toggle('best', digit === best);
    column.querySelector('.fill').style.height = `${100 * p}%`;
    column.querySelector('.value').textContent = probs && p >= 0.005 ? `${(100 * p).toFixed(0)}` : '';
    column.title = `${digit}: ${(100 * p).toFixed(1)} %`;
  });
  const view = $('digit-input').getContext('2d');
  const pixels = view.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    pixels.data.fill(input ? Math.round(255 * input[i]) : 0, 4 * i, 4 * i + 3);
    pixels.data[4 * i + 3] = 255;
  }
  view.putImageData(pixels, 0, 0);
  window.lastDigitInput = input ? Array.from(input) : null;
  window.lastDigitProbs = probs;
  window.lastDigitFrom = from;
  window.digitGuessCount += 1;
  if (probs && timings.firstDigitGuess === undefined) timings.firstDigitGuess = performance.now();
}

// --- The name: report_predict in the browser -----------------------------------------------------------------
// rnn_name2lang.unicode2ascii: accents taken off (NFD, then no combining marks), letters outside LETTER_DICT dropped
function unicode2ascii(text, letters) {
  return [...text.normalize('NFD')].filter(c => !/\p{Mn}/u.test(c) && letters.includes(c)).join('');
}

// rnn_name2lang.text2onehot: len(name) x 1 x len(LETTER_DICT), a 1 at each letter's place
function text2onehot(name, letters) {
  const data = new Float32Array(name.length * letters.length);
  [...name].forEach((c, i) => { data[i * letters.length + letters.indexOf(c)] = 1; });
  return new ort.Tensor('float32', data, [name.length, 1, letters.length]);
}

let nameRunning = false;
let nameWaiting = false;

async function guessName() {
  if (!models.rnn) {
    if (!document.querySelector('#name-model.error')) $('name-said').textContent = LOADING;
    return;
  }
  if (nameRunning) {
    nameWaiting = true;
    return;
  }
  nameRunning = true;
  try {
    do {
      nameWaiting = false;
      await reportPredict($('name-input').value);
    } while (nameWaiting);
  } finally {
    nameRunning = false;
  }
}

async function reportPredict(text) {
  const {letter_dict: letters, target_names: targetNames} = models.rnn.info;
  const name = unicode2ascii(text.trim(), letters);  // rnn_name2lang_load.clean_name
  const list = $('name-probs');
  if (!/[A-Za-z]/.test(name)) {
    list.replaceChildren();
    $('name-guess').textContent = '';
    $('name-said').textContent = text.trim() ? `${JSON.stringify(text.trim())} has no letters A-Z after `
      + 'converting it to ASCII: type a name like Choi' : '';
    $('name-said').classList.toggle('error', Boolean(text.trim()));
    window.lastNameProbs = null;
    return;
  }
  const logits = await run(models.rnn, text2onehot(name, letters));
  const top = Math.max(...logits);
  const exps = Array.from(logits, value => Math.exp(value - top));
  const total = exps.reduce((a, b) => a + b, 0);
  const probs = exps.map(value => value / total);  // nn.functional.softmax(output, dim=0)
  const order = probs.map((p, i) => i).sort((a, b) => probs[b] - probs[a]).slice(0, Math.min(TOP_K, probs.length));
  list.replaceChildren(...order.map((index, rank) => {
    const item = document.createElement('li');
    const line = document.createElement('span');
    line.textContent = `${rank + 1}. ${targetNames[index].padEnd(10)}: ${(probs[index] * 100).toFixed(1).padStart(4)} %`;
    const track = document.createElement('span');
    track.className = 'track';
    track.innerHTML = `<span class="fill" style="width: ${(100 * probs[index]).toFixed(1)}%"></span>`;
    item.append(line, track);
    return item;
  }));
  $('name-guess').textContent = targetNames[order[0]];
  $('name-said').textContent = `* Name: ${name}`;
  $('name-said').classList.remove('error');
  window.lastNameProbs = {name, probs};
  window.nameGuessCount += 1;
  if (timings.firstNameGuess === undefined) timings.firstNameGuess = performance.now();
}

$('name-input').addEventListener('input', guessName);

start();
