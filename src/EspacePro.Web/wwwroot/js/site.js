// Progressive enhancements only: every page works without this file.

// Dismissible notices ("×" on the login page's security banner).
for (const notice of document.querySelectorAll('[data-dismissible]')) {
  const close = notice.querySelector('.fr-btn--close');
  close?.addEventListener('click', () => notice.remove());
}

const antiforgery = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

// Captcha: "Changer l'image" swaps the image in place; "Ecouter l'extrait sonore" plays it here.
for (const captcha of document.querySelectorAll('[data-captcha]')) {
  const idInput = captcha.querySelector('[data-captcha-id]');
  const image = captcha.querySelector('[data-captcha-image]');
  const audioLink = captcha.querySelector('[data-captcha-audio]');
  const refresh = captcha.querySelector('[data-captcha-refresh]');
  let player = null;

  refresh?.addEventListener('click', async (event) => {
    event.preventDefault();
    const body = new FormData();
    body.append('purpose', captcha.dataset.captchaPurpose);
    body.append('previous', idInput.value);
    body.append('__RequestVerificationToken', antiforgery());
    try {
      const response = await fetch('/captcha/renouveler', { method: 'POST', body, credentials: 'same-origin' });
      if (!response.ok) throw new Error(String(response.status));
      const { id } = await response.json();
      idInput.value = id;
      image.src = `/captcha/${id}/image`;
      audioLink.href = `/captcha/${id}/audio`;
      const answer = captcha.querySelector('input[name="Captcha.Answer"]');
      if (answer) { answer.value = ''; answer.focus(); }
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
