// « Niveau de sécurité » while the new password is typed. The server judges, with the same
// estimator as after « Valider »; without JavaScript the level is shown after a post.
const token = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

for (const input of document.querySelectorAll('[data-strength-url]')) {
  const output = document.getElementById(input.dataset.strengthOutput);
  if (!output) continue;
  let timer = 0;
  let pending = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      pending?.abort();
      pending = new AbortController();
      const body = new FormData();
      body.append('password', input.value);
      body.append('__RequestVerificationToken', token());
      try {
        const response = await fetch(input.dataset.strengthUrl, { method: 'POST', body, credentials: 'same-origin', signal: pending.signal });
        if (!response.ok) return;
        const { level, label } = await response.json();
        output.className = 'strength' + (level ? ' strength--' + level : '');
        output.textContent = label ? 'Niveau de sécurité : ' + label : '';
      } catch {
        // Aborted by a newer keystroke, or offline: the level is given after « Valider ».
      }
    }, 300);
  });
}
