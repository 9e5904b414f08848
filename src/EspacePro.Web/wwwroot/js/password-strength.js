// Live password strength meter under the identifiers form's new password: for each
// input[data-strength-url], asks the server
// (which holds the dictionaries) how strong the typed password is and writes
// "Niveau de sécurité : <label>" into the element named by data-strength-output.
// Progressive enhancement only: without JavaScript, or when a request fails, the form works the
// same and the server judges the password on submit. No dependency, no inline code (CSP).

const DEBOUNCE_MS = 300;
const PREFIX = 'Niveau de sécurité : ';

// One class per level, so the page's stylesheet can colour the meter.
const LEVEL_CLASSES = {
  VeryWeak: 'password-strength--very-weak',
  Weak: 'password-strength--weak',
  Medium: 'password-strength--medium',
  Strong: 'password-strength--strong',
  VeryStrong: 'password-strength--very-strong',
};

function antiforgeryToken(input) {
  const field = input.form?.querySelector('input[name="__RequestVerificationToken"]');
  return field?.value ?? null;
}

function render(output, result) {
  output.classList.remove(...Object.values(LEVEL_CLASSES));
  if (result === null) {
    output.textContent = '';
    delete output.dataset.level;
    return;
  }
  output.textContent = PREFIX + result.label;
  output.dataset.level = result.level;
  output.classList.add(LEVEL_CLASSES[result.level]);
}

function isResult(value) {
  return value !== null && typeof value === 'object'
    && typeof value.label === 'string' && value.label.length > 0
    && Object.prototype.hasOwnProperty.call(LEVEL_CLASSES, value.level);
}

function attach(input) {
  const url = input.dataset.strengthUrl;
  const output = document.getElementById(input.dataset.strengthOutput ?? '');
  if (!url || !output || input.dataset.strengthAttached === 'true') {
    return;
  }
  input.dataset.strengthAttached = 'true';

  let timer = 0;
  let controller = null;

  async function measure() {
    controller?.abort();
    const password = input.value;
    if (password === '') {
      render(output, null);
      return;
    }
    const current = new AbortController();
    controller = current;
    const headers = { Accept: 'application/json' };
    const token = antiforgeryToken(input);
    if (token) {
      headers.RequestVerificationToken = token;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ password }),
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        signal: current.signal,
      });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const result = await response.json();
      // An answer to an older value must not overwrite the meter of the current one.
      if (current !== controller || !isResult(result)) {
        return;
      }
      render(output, result);
    } catch (error) {
      if (error?.name === 'AbortError' || current !== controller) {
        return;
      }
      // A stale level would mislead: show nothing, the server judges on submit.
      render(output, null);
    }
  }

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(measure, DEBOUNCE_MS);
  });
}

export function initPasswordStrength(root = document) {
  root.querySelectorAll('input[data-strength-url]').forEach(attach);
}

initPasswordStrength();
