// Writes client/media/icon.png (128x128 RGBA): a container ship's hull with a check mark, drawn with
// 4x4 supersampling and encoded as PNG with zlib, so no image tool is needed. Run: node client/scripts/make-icon.js

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZE = 128;
const SS = 4;

/** Shapes in 0..128 coordinates, painted in order; each is [test(x, y) => boolean, [r, g, b]]. */
const inRoundRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r), cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const inPolygon = (pts) => (x, y) => {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i], [xj, yj] = pts[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
const nearSegments = (pts, w) => (x, y) => pts.slice(1).some(([bx, by], i) => {
  const [ax, ay] = pts[i];
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= (w / 2) ** 2;
});

const NAVY = [11, 49, 66], WHITE = [240, 246, 248], ORANGE = [242, 140, 40], TEAL = [38, 166, 154], GREEN = [88, 214, 141], SEA = [21, 88, 117];
const shapes = [
  [inRoundRect(4, 4, 124, 124, 24), NAVY],
  [inRoundRect(4, 92, 124, 124, 24), SEA],
  [(x, y) => y >= 92 && y <= 100 && x >= 4 && x <= 124 && inRoundRect(4, 4, 124, 124, 24)(x, y), SEA],
  [inRoundRect(26, 46, 48, 62, 2), ORANGE],
  [inRoundRect(50, 46, 72, 62, 2), TEAL],
  [inRoundRect(38, 30, 60, 44, 2), TEAL],
  [inRoundRect(74, 46, 96, 62, 2), ORANGE],
  [inPolygon([[14, 66], [114, 66], [100, 92], [26, 92]]), WHITE],
  [nearSegments([[78, 24], [88, 34], [108, 12]], 9), GREEN],
];

function pixel(px, py) {
  const acc = [0, 0, 0, 0];
  for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
    const x = px + (sx + 0.5) / SS, y = py + (sy + 0.5) / SS;
    let color = null;
    for (const [test, c] of shapes) if (test(x, y)) color = c;
    if (color) { acc[0] += color[0]; acc[1] += color[1]; acc[2] += color[2]; acc[3] += 255; }
  }
  const n = SS * SS, covered = acc[3] / 255;
  return covered ? [acc[0] / covered, acc[1] / covered, acc[2] / covered, acc[3] / n].map(Math.round) : [0, 0, 0, 0];
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) pixel(x, y).forEach((v, i) => { raw[y * (SIZE * 4 + 1) + 1 + x * 4 + i] = v; });
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, '..', 'media', 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
