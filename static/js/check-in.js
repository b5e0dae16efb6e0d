// Check-in at the door: the organiser's phone camera reads a person's QR code and the page
// posts it in the check-in form, the same field a typed code goes into (never in a URL).
// The browser's own BarcodeDetector reads the code where it exists (Chrome on Android);
// elsewhere the vendored jsQR decoder (static/vendor/jsqr) reads frames drawn on a canvas.
// After a check-in the page comes back and the camera starts again by itself (the choice is
// kept in sessionStorage for this tab), so the organiser scans one person after another.
(() => {
  const KEY = "events-scanner-on";
  const EVERY_MS = 200;

  function setUp() {
    const root = document.querySelector("[data-scanner]");
    const input = document.querySelector("form input[name=code]");
    if (!root || !input) return;
    const form = input.form;
    const start = root.querySelector("[data-scanner-start]");
    const stop = root.querySelector("[data-scanner-stop]");
    const video = root.querySelector("[data-scanner-video]");
    const status = root.querySelector("[data-scanner-status]");
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let stream = null;
    let detector = null;

    const say = (text) => {
      status.textContent = text || "";
    };

    // A code read by the camera (or handed over in a test): fill the field and post the form.
    root.addEventListener("scanner:found", (event) => {
      stopCamera();
      say(root.dataset.found);
      input.value = String(event.detail || "").trim();
      form.requestSubmit();
    });

    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      start.disabled = true;
      say(root.dataset.noCamera);
      root.dataset.scannerReady = "no-camera";
      return;
    }
    if ("BarcodeDetector" in window) {
      try {
        detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      } catch {
        detector = null;
      }
    }

    async function readFrame() {
      if (detector) {
        try {
          const codes = await detector.detect(video);
          return codes.length ? codes[0].rawValue : null;
        } catch {
          detector = null; // the platform has the API but not the format: use jsQR from now on
        }
      }
      if (typeof window.jsQR !== "function" || !video.videoWidth) return null;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return found ? found.data : null;
    }

    async function tick() {
      if (!stream) return;
      if (video.readyState >= video.HAVE_CURRENT_DATA) {
        const text = await readFrame();
        if (text && stream) {
          root.dispatchEvent(new CustomEvent("scanner:found", { detail: text }));
          return;
        }
      }
      setTimeout(tick, EVERY_MS);
    }

    async function startCamera() {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch {
        stream = null;
        sessionStorage.removeItem(KEY);
        say(root.dataset.denied);
        return;
      }
      sessionStorage.setItem(KEY, "1");
      video.srcObject = stream;
      video.classList.remove("d-none");
      stop.classList.remove("d-none");
      start.classList.add("d-none");
      say(root.dataset.looking);
      await video.play().catch(() => {});
      tick();
    }

    function stopCamera() {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.srcObject = null;
      video.classList.add("d-none");
      stop.classList.add("d-none");
      start.classList.remove("d-none");
    }

    start.addEventListener("click", startCamera);
    stop.addEventListener("click", () => {
      sessionStorage.removeItem(KEY);
      stopCamera();
      say("");
    });
    window.addEventListener("pagehide", stopCamera);
    root.dataset.scannerReady = detector ? "barcode-detector" : "jsqr";
    if (sessionStorage.getItem(KEY) === "1") startCamera();
  }

  document.addEventListener("DOMContentLoaded", setUp);
})();
