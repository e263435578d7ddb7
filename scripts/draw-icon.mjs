// Draws images/icon.png (128×128): a PostgreSQL-blue database cylinder on Django green, with a check
// mark for "wired correctly". Pure math per pixel with 4× supersampling, written as a PNG with zlib.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';

const SIZE = 128;
const SS = 4;
const GREEN = [12, 75, 51];
const BLUE = [51, 103, 145];
const LIGHT = [214, 232, 247];
const WHITE = [255, 255, 255];

function insideRoundedSquare(x, y) {
  const r = 24;
  const cx = Math.min(Math.max(x, r), SIZE - r);
  const cy = Math.min(Math.max(y, r), SIZE - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

const ellipse = (x, y, cx, cy, rx, ry) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;

function colorAt(x, y) {
  if (!insideRoundedSquare(x, y)) return null;
  const cx = 56, rx = 34, ry = 11, top = 30, bottom = 96;
  // Check mark (bottom right), drawn over everything else.
  const onCheck = (px, py, ax, ay, bx, by, w) => {
    const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay))) <= w;
  };
  if (onCheck(x, y, 84, 92, 96, 104, 6) || onCheck(x, y, 96, 104, 116, 78, 6)) return WHITE;
  if (ellipse(x, y, cx, top, rx, ry)) return ellipse(x, y, cx, top, rx - 5, ry - 3) ? LIGHT : BLUE;
  const inBody = x >= cx - rx && x <= cx + rx && y >= top && y <= bottom;
  if (inBody || ellipse(x, y, cx, bottom, rx, ry)) {
    // Two bands, like a stack of disks.
    for (const band of [52, 74]) if (ellipse(x, y, cx, band, rx, ry) && !ellipse(x, y - 4, cx, band, rx, ry)) return LIGHT;
    return BLUE;
  }
  return GREEN;
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  pixels[y * (SIZE * 4 + 1)] = 0;
  for (let x = 0; x < SIZE; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const c = colorAt(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
      if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    pixels[o] = a ? r / a : 0; pixels[o + 1] = a ? g / a : 0; pixels[o + 2] = a ? b / a : 0; pixels[o + 3] = (a * 255) / (SS * SS);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function chunk(type, data) {
  const length = Buffer.alloc(4); length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0); header.writeUInt32BE(SIZE, 4); header[8] = 8; header[9] = 6;
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = join(resolve(import.meta.dirname, '..'), 'images', 'icon.png');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
