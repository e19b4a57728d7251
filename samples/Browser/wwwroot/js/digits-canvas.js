// The drawing canvas of the NetGen digits page: mouse, pen and touch strokes (pointer events), the ink handed to .NET,
// and drawImage, which puts an 8x8 UCI image on the canvas (the page's "test digit" button and the CI check use it).
window.netgenDigits = (() => {
  let canvas = null;
  let context = null;
  let page = null; // the .NET page (DotNetObjectReference), asked to classify after each stroke
  let last = null;

  // The order in which a 4x4 block's pixels are set, middle first (a clustered dot): pixel i of the block is set for
  // counts above order[i], so a block of count v has exactly v of its 16 pixels set, close together as in a stroke.
  const order = [12, 4, 8, 13, 11, 0, 1, 5, 7, 3, 2, 9, 15, 10, 6, 14];

  function init(canvasElement, dotNetPage) {
    canvas = canvasElement;
    context = canvas.getContext("2d", { willReadFrequently: true });
    page = dotNetPage;
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    clear();
  }

  function point(event) {
    // From the client area (inside the border) in CSS pixels to canvas pixels.
    const box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left - canvas.clientLeft) * canvas.width / canvas.clientWidth,
      y: (event.clientY - box.top - canvas.clientTop) * canvas.height / canvas.clientHeight,
    };
  }

  function start(event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    // A dot for a tap without movement.
    context.beginPath();
    context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fill();
  }

  function move(event) {
    if (last === null) {
      return;
    }
    event.preventDefault();
    const next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
  }

  function end(event) {
    if (last === null) {
      return;
    }
    event.preventDefault();
    last = null;
    page.invokeMethodAsync("ClassifyCanvas").catch(error => console.error("ClassifyCanvas failed", error));
  }

  function clear() {
    context.clearRect(0, 0, canvas.width, canvas.height);
    // The pen: about a tenth of the canvas wide, which is roughly the UCI digits' stroke for a digit drawn to fill
    // most of the canvas's height.
    context.lineWidth = Math.round(canvas.width / 11);
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";
    context.fillStyle = "#000";
  }

  // The alpha channel, row by row: 0 where nothing is drawn, 255 in the middle of a stroke.
  function ink() {
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const alpha = new Uint8Array(canvas.width * canvas.height);
    for (let i = 0; i < alpha.length; i++) {
      alpha[i] = rgba[4 * i + 3];
    }
    return alpha;
  }

  function size() {
    return [canvas.width, canvas.height];
  }

  // Draws an 8x8 image of counts 0..16 as the 32x32 bitmap it could have come from (each 4x4 block with as many set
  // pixels as its count, middle first), scaled to fill the canvas's height with a margin, then has the page classify
  // the canvas like a drawing. Resolves to what the page returns: the predicted digit.
  async function drawImage(pixels) {
    if (!Array.isArray(pixels) || pixels.length !== 64) {
      throw new Error("drawImage needs 64 pixel values");
    }
    clear();
    const cell = Math.floor(canvas.height * 0.8 / 32);
    const left = Math.floor((canvas.width - 32 * cell) / 2);
    const top = Math.floor((canvas.height - 32 * cell) / 2);
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const count = pixels[(y >> 2) * 8 + (x >> 2)];
        if (count > order[(y & 3) * 4 + (x & 3)]) {
          context.fillRect(left + x * cell, top + y * cell, cell, cell);
        }
      }
    }
    return await page.invokeMethodAsync("ClassifyCanvas");
  }

  return { init, clear, ink, size, drawImage };
})();
