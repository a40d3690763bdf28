// Replies without leaving the page: "Reply" moves the comment form under the comment answered
// (setting its parent) and "Cancel reply" puts it back. The title's words come from the page
// (data-plain, data-reply), in the site's language. Without JavaScript the same links open
// the page with the form already answering that comment (?replytocom=ID#respond).
(function () {
  'use strict';
  const section = document.getElementById('respond');
  const form = document.querySelector('[data-comment-form]');
  if (!section || !form) return;
  const parentField = form.querySelector('[data-parent-id]');
  const title = document.getElementById('comment-form-title');
  const cancel = section.querySelector('[data-cancel-reply]');
  const cancelBox = cancel ? cancel.parentElement : null;
  const home = document.createElement('div');
  home.hidden = true;
  section.parentElement.insertBefore(home, section);
  const plainTitle = title.dataset.plain || title.textContent;
  const replyWords = title.dataset.reply || '';

  function setTitle(name) {
    title.replaceChildren();
    if (name) {
      const who = document.createElement('bdi');
      who.textContent = name;
      title.append(replyWords + ' ', who);
    } else {
      title.textContent = plainTitle;
    }
  }

  function replyTo(link) {
    const comment = link.closest('[data-comment-id]');
    if (!comment) return false;
    parentField.value = link.dataset.replyTo;
    setTitle(link.dataset.replyName);
    if (cancelBox) cancelBox.hidden = false;
    const card = comment.querySelector('.comment__card');
    card.insertAdjacentElement('afterend', section);
    section.classList.add('comment-form--inline');
    form.querySelector('textarea').focus();
    return true;
  }

  function backHome() {
    parentField.value = '';
    setTitle('');
    if (cancelBox) cancelBox.hidden = true;
    home.insertAdjacentElement('afterend', section);
    section.classList.remove('comment-form--inline');
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('[data-reply-to]');
    if (link && replyTo(link)) {
      event.preventDefault();
      return;
    }
    if (cancel && event.target.closest('[data-cancel-reply]')) {
      event.preventDefault();
      backHome();
      form.querySelector('textarea').focus();
    }
  });
})();
