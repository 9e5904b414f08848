// Progressive enhancements only: every page works without this file.

// Dismissible notices ("×" on the login page's security banner).
for (const notice of document.querySelectorAll('[data-dismissible]')) {
  const close = notice.querySelector('.fr-btn--close');
  close?.addEventListener('click', () => notice.remove());
}

const antiforgery = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

// Captcha: "Changer l'image" swaps the image in place; "Ecouter l'extrait sonore" plays it here;
// "vérification automatique" lets the browser prove some work instead of the person copying.
for (const captcha of document.querySelectorAll('[data-captcha]')) {
  const idInput = captcha.querySelector('[data-captcha-id]');
  const image = captcha.querySelector('[data-captcha-image]');
  const audioLink = captcha.querySelector('[data-captcha-audio]');
  const refresh = captcha.querySelector('[data-captcha-refresh]');
  const answer = captcha.querySelector('input[name="Captcha.Answer"]');
  const powButton = captcha.querySelector('[data-captcha-pow]');
  const powSolution = captcha.querySelector('[data-captcha-pow-solution]');
  const powProgress = captcha.querySelector('[data-captcha-pow-progress]');
  const powMessage = captcha.querySelector('[data-captcha-pow-message]');
  let player = null;

  // Voids the form's captcha and gets a new one of the kind the endpoint issues.
  const replace = async (endpoint) => {
    const body = new FormData();
    body.append('purpose', captcha.dataset.captchaPurpose);
    body.append('previous', idInput.value);
    body.append('__RequestVerificationToken', antiforgery());
    const response = await fetch(endpoint, { method: 'POST', body, credentials: 'same-origin' });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  };

  const showText = (id) => {
    idInput.value = id;
    image.src = `/captcha/${id}/image`;
    audioLink.href = `/captcha/${id}/audio`;
    if (answer) { answer.value = ''; answer.focus(); }
  };

  refresh?.addEventListener('click', async (event) => {
    event.preventDefault();
    try {
      showText((await replace('/captcha/renouveler')).id);
    } catch {
      // Fall back to the server round trip of the form outside.
      document.getElementById('form-nouvelle-image')?.submit();
    }
  });

  audioLink?.addEventListener('click', (event) => {
    event.preventDefault();
    player?.pause();
    player = new Audio(audioLink.href);
    player.play().catch(() => { window.location.href = audioLink.href; });
  });

  if (!powButton || !window.Worker || !window.crypto?.subtle) continue;
  powButton.hidden = false;
  powButton.addEventListener('click', async () => {
    powButton.disabled = true;
    powMessage.className = 'fr-message fr-message--info';
    powMessage.textContent = 'Vérification automatique en cours, veuillez patienter…';
    powProgress.hidden = false;
    const bar = powProgress.querySelector('progress');
    bar.value = 0;
    const failed = async () => {
      powProgress.hidden = true;
      powButton.disabled = false;
      powMessage.className = 'fr-message fr-message--error';
      powMessage.textContent = "La vérification automatique n'a pas abouti. Réessayez, ou recopiez les caractères de la nouvelle image.";
      // The proof of work voided the image's captcha: show a live one again.
      try { showText((await replace('/captcha/renouveler')).id); } catch { /* the form's own round trip remains */ }
    };
    let challenge;
    try {
      challenge = await replace('/captcha/preuve-de-travail');
    } catch {
      await failed();
      return;
    }
    idInput.value = challenge.id;
    const worker = new Worker(captcha.dataset.captchaPowWorker);
    worker.addEventListener('error', () => { worker.terminate(); failed(); });
    worker.addEventListener('message', ({ data }) => {
      if (data.progress !== undefined) {
        bar.value = Math.round(data.progress * 100);
        return;
      }
      worker.terminate();
      if (data.failed) { failed(); return; }
      const { algorithm, challenge: hash, salt, signature } = challenge;
      powSolution.value = btoa(JSON.stringify({ algorithm, challenge: hash, number: data.number, salt, signature, took: data.took }));
      bar.value = 100;
      powProgress.hidden = true;
      powButton.hidden = true;
      if (answer) { answer.required = false; answer.removeAttribute('aria-required'); answer.disabled = true; }
      captcha.classList.add('captcha--verified');
      powMessage.className = 'fr-message fr-message--valid';
      powMessage.textContent = 'Vérification automatique réussie : vous pouvez valider le formulaire.';
    });
    worker.postMessage({ challenge: challenge.challenge, salt: challenge.salt, maxnumber: challenge.maxnumber });
  });
}

// Move focus to the error summary so that screen readers announce it after a failed post.
document.getElementById('erreurs')?.focus();

// A link of the error summary puts the focus in its field, not only the field on screen:
// the person types at once, and Tab goes on from there. Without JavaScript it scrolls to it.
document.getElementById('erreurs')?.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="#"]');
  const field = link && document.getElementById(link.getAttribute('href').slice(1));
  if (!field) return;
  event.preventDefault();
  field.focus();
});

// « Modifier mes identifiants » : a section opens with its checkbox; the fields of a closed
// section are disabled so that they are not sent. Without JavaScript every section stays open.
for (const toggle of document.querySelectorAll('[data-section-toggle]')) {
  const section = document.getElementById(toggle.dataset.sectionToggle);
  if (!section) continue;
  const sync = () => {
    section.hidden = !toggle.checked;
    for (const field of section.querySelectorAll('input, select, textarea')) field.disabled = !toggle.checked;
  };
  toggle.addEventListener('change', sync);
  sync();
}

// "Fermer" inside a <details> (password recommendations).
for (const button of document.querySelectorAll('[data-close-details]')) {
  button.addEventListener('click', () => {
    const details = button.closest('details');
    if (details) {
      details.open = false;
      details.querySelector('summary')?.focus();
    }
  });
}

// « Imprimer »: the browser's print dialog (the print style sheet keeps only the content).
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
