// Preparing an image of a digit the MNIST way, in the browser: 04_cnn_mnist/helpers/mnist_image.py, step by step.
//
// A gray image is {data: Float32Array, height, width}, rows one after another, values in [0, 1].
// Each function names the Python function (and the PyTorch operation) that it follows, so that the
// 28 x 28 input is the one that `prepare_image` gives for the same image (tests/test_play.py checks it).

export const MAX_SIZE = 2048;       // Pixels of the longer side at most: a larger photo is first shrunk
export const PAPER_SIZE = 256;      // Pixels of the longer side of the small copy on which the paper's level is estimated
export const PAPER_WINDOW = 1 / 5;  // Window of the closing, as a part of the longer side: wider than any pen stroke

export class BlankImage extends Error {}

export function gray(height, width, data = new Float32Array(height * width)) {
  return {data, height, width};
}

// Python's round(): halves to the even neighbour (round(2.5) is 2), as mnist_image.py rounds
export function pyRound(x) {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

// numpy.median
function median(values) {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]): the pixels of the border
function border(image) {
  const {data, height, width} = image;
  const values = [];
  for (let x = 0; x < width; x++) values.push(data[x]);
  for (let x = 0; x < width; x++) values.push(data[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) values.push(data[y * width]);
  for (let y = 0; y < height; y++) values.push(data[y * width + width - 1]);
  return values;
}

function maxOf(data) {
  let best = -Infinity;
  for (const value of data) if (value > best) best = value;
  return best;
}

// --- Reading a file: upright (EXIF orientation) and image_to_gray -------------------------------------------

// The EXIF Orientation tag (0x0112) of a JPEG file: {value, offset} (offset of its value in the file), or null
export function jpegOrientation(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;  // Not a JPEG
  let offset = 2;
  while (offset + 4 <= view.byteLength) {
    const marker = view.getUint16(offset);
    if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;  // Image data: no EXIF before it
    const length = view.getUint16(offset + 2);
    const isExif = marker === 0xffe1 && offset + 10 <= view.byteLength && view.getUint32(offset + 4) === 0x45786966;
    if (isExif) return tiffOrientation(view, offset + 10, offset + 2 + length);  // 'Exif\0\0', then TIFF
    offset += 2 + length;
  }
  return null;
}

function tiffOrientation(view, start, end) {
  try {
    const little = view.getUint16(start) === 0x4949;  // 'II': little endian, 'MM': big endian
    const ifd = start + view.getUint32(start + 4, little);
    const entries = view.getUint16(ifd, little);
    for (let i = 0; i < entries; i++) {
      const entry = ifd + 2 + 12 * i;
      if (entry + 12 > end) return null;
      if (view.getUint16(entry, little) === 0x0112) {
        return {value: view.getUint16(entry + 8, little), offset: entry + 8, little};
      }
    }
  } catch (error) {  // Damaged EXIF data (mnist_image.upright: the pixels as they are stored)
    if (!(error instanceof RangeError)) throw error;
  }
  return null;
}

// Where each upright pixel (x, y) is stored, in stored pixels of width w and height h: the transposes of
// PIL.ImageOps.exif_transpose for each EXIF orientation (its ROTATE_90 turns counterclockwise)
const STORED_AT = {
  2: (x, y, w, h) => [w - 1 - x, y],          // FLIP_LEFT_RIGHT
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y],  // ROTATE_180
  4: (x, y, w, h) => [x, h - 1 - y],          // FLIP_TOP_BOTTOM
  5: (x, y, w, h) => [y, x],                  // TRANSPOSE
  6: (x, y, w, h) => [y, h - 1 - x],          // ROTATE_270 (a quarter turn clockwise)
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x],  // TRANSVERSE
  8: (x, y, w, h) => [w - 1 - y, x],          // ROTATE_90 (a quarter turn counterclockwise)
};

// mnist_image.upright: `image` (the stored pixels) turned the way the EXIF Orientation tag says
export function upright(image, orientation) {
  const storedAt = STORED_AT[orientation];
  if (!storedAt) return image;  // 1 (upright already), no tag or an unknown value
  const {data, height, width} = image;
  const out = orientation >= 5 ? gray(width, height) : gray(height, width);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      const [sx, sy] = storedAt(x, y, width, height);
      out.data[y * out.width + x] = data[sy * width + sx];
    }
  }
  return out;
}

// mnist_image.image_to_gray: RGBA pixels (transparent ones on white paper) to PIL's 'L' in [0, 1]
export function rgbaToGray(rgba, height, width) {
  const out = gray(height, width);
  for (let i = 0; i < height * width; i++) {
    const alpha = rgba[4 * i + 3] / 255;
    const [r, g, b] = [0, 1, 2].map(c => Math.round(rgba[4 * i + c] * alpha + 255 * (1 - alpha)));
    out.data[i] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255;  // PIL's ITU-R 601-2 luma
  }
  return out;
}

// The bytes of a JPEG file with its Orientation tag set to 1, so that the browser decodes the stored pixels
// (browsers turn photos upright by themselves, some more than others): `upright` then turns them, as PIL does
function withoutOrientation(bytes, tag) {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint16(tag.offset, 1, tag.little);
  return copy;
}

// mnist_image.load_image, upright and image_to_gray: a File or Blob as a gray image, upright
export async function readImageFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const tag = jpegOrientation(bytes);
  const orientation = tag ? tag.value : 1;
  const blob = new Blob([orientation !== 1 ? withoutOrientation(bytes, tag) : bytes]);
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob, {colorSpaceConversion: 'none', premultiplyAlpha: 'none'});
  } catch (error) {
    const name = file.name || 'the file';
    if (/\.hei[cf]$/i.test(name)) {  // mnist_image.py reads these with pillow-heif; most browsers cannot
      throw new Error(`'${name}' is a HEIC/HEIF photo (an iPhone's format), which this browser cannot read: `
                      + 'choose a JPEG or PNG (an iPhone converts its photos when the page asks for one)');
    }
    throw new Error(`'${name}' is not an image file that this browser can read`);
  }
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [bitmap.width, bitmap.height];
  const context = canvas.getContext('2d', {willReadFrequently: true});
  context.drawImage(bitmap, 0, 0);  // RGBA as stored; the alpha is composited on white in rgbaToGray
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  bitmap.close();
  return upright(rgbaToGray(rgba, canvas.height, canvas.width), orientation);
}

// --- Resizing as PyTorch does -------------------------------------------------------------------------------

// Along one axis (0: the height, each column; 1: the width, each row): each output index `o` is the sum of
// weights[k] x the input at first + k, with [first, weights] = weightsOf(o, inSize, outSize)
function resample(image, axis, outSize, weightsOf) {
  const {data, height, width} = image;
  const out = axis === 0 ? gray(outSize, width) : gray(height, outSize);
  for (let o = 0; o < outSize; o++) {
    const [first, list] = weightsOf(o, axis === 0 ? height : width, outSize);
    const weights = Float64Array.from(list);
    if (axis === 0) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += weights[k] * data[(first + k) * width + x];
        out.data[o * width + x] = sum;
      }
    } else {
      for (let y = 0; y < height; y++) {
        let sum = 0;
        const row = y * width + first;
        for (let k = 0; k < weights.length; k++) sum += weights[k] * data[row + k];
        out.data[y * outSize + o] = sum;
      }
    }
  }
  return out;
}

// F.interpolate(mode='area') = adaptive_avg_pool2d: each output pixel is the mean of its input bin
function areaWeights(o, inSize, outSize) {
  const start = Math.floor(o * inSize / outSize);
  const end = Math.ceil((o + 1) * inSize / outSize);
  return [start, new Array(end - start).fill(1 / (end - start))];
}

// F.interpolate(mode='bilinear', align_corners=False) along one axis
function bilinearWeights(o, inSize, outSize) {
  const source = Math.max((o + 0.5) * inSize / outSize - 0.5, 0);
  const low = Math.floor(source);
  if (low >= inSize - 1) return [inSize - 1, [1]];
  const lambda = source - low;
  return [low, [1 - lambda, lambda]];
}

// F.interpolate(mode='bilinear', antialias=True), as TF.resize(..., antialias=True) does (PIL's triangle filter)
function antialiasWeights(o, inSize, outSize) {
  const scale = inSize / outSize;
  const support = scale >= 1 ? scale : 1;
  const invScale = scale >= 1 ? 1 / scale : 1;
  const center = scale * (o + 0.5);
  const first = Math.max(Math.trunc(center - support + 0.5), 0);
  const size = Math.min(Math.trunc(center + support + 0.5), inSize) - first;
  const weights = [];
  let total = 0;
  for (let j = 0; j < size; j++) {
    const w = Math.max(1 - Math.abs((j + first - center + 0.5) * invScale), 0);
    weights.push(w);
    total += w;
  }
  return [first, total ? weights.map(w => w / total) : weights];
}

function resize(image, height, width, weightsOf) {
  let out = image;
  if (width !== image.width) out = resample(out, 1, width, weightsOf);
  if (height !== image.height) out = resample(out, 0, height, weightsOf);
  return out;
}

// mnist_image.shrink: shrunk by averaging (area) so that the longer side has at most `size` pixels
export function shrink(image, size = MAX_SIZE) {
  const {height, width} = image;
  const scale = size / Math.max(height, width);
  if (scale >= 1) return image;
  return resize(image, Math.max(1, pyRound(height * scale)), Math.max(1, pyRound(width * scale)), areaWeights);
}

// --- The paper's level, removed ------------------------------------------------------------------------------

// The max (sign 1) or min (sign -1) of each `window` neighbours along a line of `n` values (from `at(i)`), as
// max_pool2d with stride 1 gives it: n - window + 1 values into `put(i, value)`. Van Herk and Gil-Werman's way:
// the running extreme from the start and from the end of each block of `window` values, a few steps per value.
function lineExtreme(at, n, window, sign, put, forward, backward) {
  for (let i = 0; i < n; i++) {
    const value = sign * at(i);
    forward[i] = i % window === 0 ? value : Math.max(forward[i - 1], value);
  }
  for (let i = n - 1; i >= 0; i--) {
    const value = sign * at(i);
    backward[i] = (i + 1) % window === 0 || i === n - 1 ? value : Math.max(backward[i + 1], value);
  }
  for (let i = 0; i + window <= n; i++) put(i, sign * Math.max(backward[i], forward[i + window - 1]));
}

// Along one axis of `image` (0: each column, 1: each row): lineExtreme of every line
function slidingExtreme(image, axis, window, sign) {
  const {data, height, width} = image;
  const n = axis === 0 ? height : width;
  const forward = new Float64Array(n);
  const backward = new Float64Array(n);
  if (axis === 0) {
    const out = gray(height - window + 1, width);
    for (let x = 0; x < width; x++) {
      lineExtreme(i => data[i * width + x], n, window, sign, (i, value) => { out.data[i * width + x] = value; },
                  forward, backward);
    }
    return out;
  }
  const out = gray(height, width - window + 1);
  for (let y = 0; y < height; y++) {
    lineExtreme(i => data[y * width + i], n, window, sign, (i, value) => { out.data[y * out.width + i] = value; },
                forward, backward);
  }
  return out;
}

// mnist_image.closing: a window x window max filter, then a min filter, the edges repeated outwards
export function closing(image, window) {
  const pad = window >> 1;
  const {data, height, width} = image;
  let padded = gray(height + 4 * pad, width + 4 * pad);  // F.pad(mode='replicate')
  for (let y = 0; y < padded.height; y++) {
    const sy = Math.min(Math.max(y - 2 * pad, 0), height - 1);
    for (let x = 0; x < padded.width; x++) {
      padded.data[y * padded.width + x] = data[sy * width + Math.min(Math.max(x - 2 * pad, 0), width - 1)];
    }
  }
  for (const sign of [1, -1]) {  // Max filter, then min filter; each as rows, then columns
    padded = slidingExtreme(padded, 1, window, sign);
    padded = slidingExtreme(padded, 0, window, sign);
  }
  return padded;
}

// mnist_image.paper_level: the paper's gray level at each pixel, estimated on a small copy
export function paperLevel(image) {
  const small = shrink(image, PAPER_SIZE);
  const paper = closing(small, 2 * pyRound(Math.max(small.height, small.width) * PAPER_WINDOW / 2) + 1);
  if (paper.height === image.height && paper.width === image.width) return paper;
  return resize(paper, image.height, image.width, bilinearWeights);
}

// mnist_image.remove_paper: bright ink on black, the paper's level taken at each place
export function removePaper(image) {
  const {data} = image;
  const out = gray(image.height, image.width);
  if (median(border(image)) > 0.5 * maxOf(data)) {  // Dark ink on light paper: divided by the paper, inverted
    const paper = paperLevel(image).data;
    for (let i = 0; i < data.length; i++) {
      out.data[i] = Math.min(Math.max(1 - data[i] / Math.max(paper[i], 1 / 255), 0), 1);
    }
    return out;
  }
  const inverted = gray(image.height, image.width, data.map(value => 1 - value));
  const background = paperLevel(inverted).data;  // 1 - background: an opening, light strokes removed
  for (let i = 0; i < data.length; i++) out.data[i] = Math.min(Math.max(data[i] - (1 - background[i]), 0), 1);
  return out;
}

// --- The digit, placed the MNIST way -------------------------------------------------------------------------

// mnist_image.center_digit: cropped, scaled into 20 x 20, its center of mass at the center of 28 x 28
export function centerDigit(image) {
  const level = median(border(image));
  let ink = image.data.map(value => Math.max(value - level, 0));  // The paper's gray level removed
  const top = maxOf(ink);
  if (top < 0.1) throw new BlankImage('no digit found: the image is blank');
  ink = ink.map(value => value / top);
  let y0 = Infinity, y1 = -1, x0 = Infinity, x1 = -1;  // Faint specks ignored when finding the bounding box
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (ink[y * image.width + x] > 0.25) {
        if (y < y0) y0 = y;
        y1 = y;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
      }
    }
  }
  const crop = gray(y1 - y0 + 1, x1 - x0 + 1);
  for (let y = 0; y < crop.height; y++) {
    crop.data.set(ink.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x1 + 1), y * crop.width);
  }
  const scale = 20 / Math.max(crop.height, crop.width);
  const size = [Math.max(1, pyRound(crop.height * scale)), Math.max(1, pyRound(crop.width * scale))];
  const digit = resize(crop, size[0], size[1], antialiasWeights);
  digit.data = digit.data.map(value => Math.min(Math.max(value, 0), 1));

  let total = 0, sumY = 0, sumX = 0;  // The center of mass lands at the center (13.5, 13.5)
  for (let y = 0; y < size[0]; y++) {
    for (let x = 0; x < size[1]; x++) {
      const value = digit.data[y * size[1] + x];
      total += value;
      sumY += y * value;
      sumX += x * value;
    }
  }
  const top28 = Math.min(Math.max(pyRound(13.5 - sumY / total), 0), 28 - size[0]);
  const left28 = Math.min(Math.max(pyRound(13.5 - sumX / total), 0), 28 - size[1]);
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < size[0]; y++) {
    out.set(digit.data.subarray(y * size[1], (y + 1) * size[1]), (top28 + y) * 28 + left28);
  }
  return out;
}

// mnist_image.prepare_image for a file: upright, gray, shrunk, its paper removed, then centered
export async function prepareFile(file) {
  return centerDigit(removePaper(shrink(await readImageFile(file))));
}
