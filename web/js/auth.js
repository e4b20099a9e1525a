// Sign in and sign up.

import { register, signIn } from './api.js';
import { field, h, mount } from './ui.js';

export function render(root) {
  let mode = 'signin';
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, maxLength: 254 });
  const password = h('input', { type: 'password', name: 'password', required: true, maxLength: 128 });
  const displayName = h('input', { type: 'text', name: 'display_name', autocomplete: 'nickname', maxLength: 100 });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const nameField = field('Your name (optional)', displayName);
  const passwordField = field('Password', password);
  const submit = h('button', { type: 'submit', class: 'primary' });
  const toggle = h('button', { type: 'button', class: 'link' });
  const title = h('h1');

  const form = h('form', { class: 'auth-form card', novalidate: true },
    title, field('Email', email), passwordField, nameField, message, submit,
    h('p', { class: 'muted' }, toggle));

  function show() {
    const signingUp = mode === 'signup';
    title.textContent = signingUp ? 'Create your account' : 'Welcome back';
    submit.textContent = signingUp ? 'Create account' : 'Sign in';
    toggle.textContent = signingUp ? 'I already have an account' : 'New here? Create an account';
    password.autocomplete = signingUp ? 'new-password' : 'current-password';
    passwordField.querySelector('small')?.remove();
    if (signingUp) passwordField.append(h('small', { class: 'hint', text: '10 to 128 characters, not a common password and not your email name.' }));
    nameField.hidden = !signingUp;
    message.textContent = '';
  }

  toggle.addEventListener('click', () => {
    mode = mode === 'signin' ? 'signup' : 'signin';
    show();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (!email.value.includes('@')) {
      message.textContent = 'Please enter your email address.';
      return;
    }
    if (!password.value) {
      message.textContent = 'Please enter your password.';
      return;
    }
    submit.disabled = true;
    try {
      if (mode === 'signup') await register(email.value.trim(), password.value, displayName.value.trim());
      else await signIn(email.value.trim(), password.value);
      // Signed in: the router shows the screen that was asked for.
    } catch (error) {
      message.textContent = error.message;
      if (error.code === 'EMAIL_TAKEN') {
        mode = 'signin';
        show();
        message.textContent = error.message;
      }
    } finally {
      submit.disabled = false;
    }
  });

  show();
  mount(root, h('section', { class: 'screen auth' },
    h('p', { class: 'lead', text: 'Talk with a guide, and get an affirmation, a guided meditation or a ritual made for you.' }),
    form));
  email.focus();
}
