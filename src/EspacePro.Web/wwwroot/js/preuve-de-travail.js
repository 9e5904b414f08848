// The automatic check (« vérification automatique »), run in a Web Worker so the page stays
// responsive: try numbers from 0 until SHA-256(salt + number) is the hash the server sent.
// The server chose the number at random below maxnumber; it signed the hash, so only the
// number found here can pass. Messages out: { progress } now and then, then { number, took }
// or { failed }.

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

self.addEventListener('message', async ({ data }) => {
  const { challenge, salt, maxnumber } = data;
  const encoder = new TextEncoder();
  const started = performance.now();
  for (let number = 0; number <= maxnumber; number++) {
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(salt + number));
    if (hex(digest) === challenge) {
      self.postMessage({ number, took: Math.round(performance.now() - started) });
      return;
    }
    if (number % 2000 === 0) {
      self.postMessage({ progress: number / maxnumber });
    }
  }
  self.postMessage({ failed: true });
});
