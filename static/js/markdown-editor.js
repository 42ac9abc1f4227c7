/*
 * The admin's Markdown editor (backpain/writing.py): a live preview rendered by the server with the site's
 * own renderer, and a link picker that inserts a link to one of the site's pages at the cursor.
 * Without this script each field is a plain textarea. No framework, no inline script or style.
 */
(function () {
  "use strict";

  var DELAY = 300; // ms after the last key press before the preview is asked for
  var NARROW = window.matchMedia("(max-width: 1023px)");
  var pagesPromise = null;

  function csrfToken(element) {
    var form = element.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setPreviewShown(editor, shown) {
    var preview = editor.querySelector(".md-preview");
    var toggle = editor.querySelector(".md-toggle-preview");
    preview.hidden = !shown;
    editor.classList.toggle("md-with-preview", shown);
    toggle.setAttribute("aria-expanded", shown ? "true" : "false");
    toggle.textContent = shown ? "Hide preview" : "Show preview";
  }

  function setUp(editor) {
    var textarea = editor.querySelector("textarea");
    var preview = editor.querySelector(".md-preview");
    var body = preview.querySelector(".md-preview-body");
    var status = preview.querySelector(".md-preview-status");
    var timer = null;
    var latest = 0;
    var lastSent = null;

    function refresh() {
      if (preview.hidden || textarea.value === lastSent) {
        return;
      }
      lastSent = textarea.value;
      var number = ++latest;
      var data = new URLSearchParams();
      data.set("text", textarea.value);
      if (editor.dataset.figures) {
        data.set("figures", "1");
      }
      status.textContent = "Updating the preview…";
      fetch(editor.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(editor), "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          if (response.redirected) {
            throw new Error("You have been signed out: sign in again in another tab, then keep writing.");
          }
          return response.text().then(function (html) {
            return { ok: response.ok, status: response.status, html: html };
          });
        })
        .then(function (answer) {
          if (number !== latest) {
            return; // a newer preview is on its way
          }
          if (answer.status === 403) {
            throw new Error("The preview is not available to your account.");
          }
          // The server's HTML is sanitised by the same renderer that makes the public page.
          body.innerHTML = answer.html;
          var problems = body.querySelectorAll(".md-problems li").length;
          if (!answer.ok) {
            lastSent = null;
          }
          status.textContent = problems
            ? "Preview updated. " + problems + (problems === 1 ? " problem" : " problems") + " to fix before saving."
            : "Preview updated.";
        })
        .catch(function (error) {
          if (number === latest) {
            lastSent = null;
            status.textContent = error.message || "The preview could not be updated. Your text is safe; keep writing.";
          }
        });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY);
    }

    textarea.addEventListener("input", later);
    editor.querySelector(".md-toggle-preview").addEventListener("click", function () {
      setPreviewShown(editor, preview.hidden);
      refresh();
    });
    editor.querySelector(".md-insert-link").addEventListener("click", function () {
      openPicker(textarea);
    });
    editor.querySelector(".md-insert-picture").addEventListener("click", function () {
      openPictures(textarea);
    });
    editor.querySelector(".md-toolbar").hidden = false;
    setPreviewShown(editor, !NARROW.matches);
    refresh();
  }

  // The link picker: one dialog for the whole page ---------------------------------------------------------

  var dialog = null;
  var target = null;

  function loadPages(url) {
    if (!pagesPromise) {
      pagesPromise = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
        function (response) {
          if (!response.ok || response.redirected) {
            pagesPromise = null;
            throw new Error("The list of pages could not be loaded.");
          }
          return response.json();
        }
      );
    }
    return pagesPromise;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function closeOnEscape(box) {
    // A search box with text in it takes the first Escape to clear itself; here Escape always closes.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        box.close();
      }
    });
  }

  function buildDialog() {
    dialog = element("dialog", "md-picker");
    closeOnEscape(dialog);
    dialog.setAttribute("aria-labelledby", "md-picker-title");
    var title = element("h2", "", "Insert a link to a page");
    title.id = "md-picker-title";
    var label = element("label", "", "Search the site's pages");
    label.htmlFor = "md-picker-search";
    var search = element("input", "md-picker-search");
    search.type = "search";
    search.id = "md-picker-search";
    search.autocomplete = "off";
    search.setAttribute("aria-controls", "md-picker-list");
    var count = element("p", "md-picker-count");
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    var list = element("ul", "md-picker-list");
    list.id = "md-picker-list";
    list.setAttribute("aria-label", "Pages");
    var close = element("button", "md-button", "Cancel");
    close.type = "button";
    close.addEventListener("click", function () {
      dialog.close();
    });
    dialog.append(title, label, search, count, list, close);
    document.body.append(dialog);

    search.addEventListener("input", function () {
      show(search.value);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || (event.key === "Enter" && list.querySelector("button"))) {
        event.preventDefault();
        var first = list.querySelector("button");
        if (first) {
          if (event.key === "Enter") {
            first.click();
          } else {
            first.focus();
          }
        }
      }
    });
    list.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
      var index = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && index < buttons.length - 1) {
        event.preventDefault();
        buttons[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index > 0 ? buttons[index - 1] : search).focus();
      }
    });
    dialog.addEventListener("close", function () {
      if (target) {
        target.focus();
      }
    });
  }

  function show(query) {
    var list = dialog.querySelector(".md-picker-list");
    var count = dialog.querySelector(".md-picker-count");
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    loadPages(target.closest("[data-markdown-editor]").dataset.pagesUrl)
      .then(function (data) {
        var matches = data.pages.filter(function (page) {
          var haystack = (page.title + " " + page.kind + " " + page.url + " " + page.note).toLowerCase();
          return words.every(function (word) {
            return haystack.indexOf(word) !== -1;
          });
        });
        list.replaceChildren();
        matches.forEach(function (page) {
          var item = element("li");
          var button = element("button", "md-picker-page");
          button.type = "button";
          button.append(element("span", "md-picker-title", page.title));
          button.append(element("span", "md-picker-meta", page.kind + (page.note ? " · " + page.note : "") + " · " + page.url));
          button.addEventListener("click", function () {
            insertLink(page);
          });
          item.append(button);
          list.append(item);
        });
        count.textContent = matches.length === 1 ? "1 page" : matches.length + " pages";
      })
      .catch(function (error) {
        count.textContent = error.message;
      });
  }

  function insertLink(page) {
    var start = target.selectionStart;
    var end = target.selectionEnd;
    var chosen = target.value.slice(start, end);
    var text = (chosen || page.title).replace(/[[\]]/g, "");
    var link = "[" + text + "](" + page.url + ")";
    target.setRangeText(link, start, end, "end");
    dialog.close();
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function openPicker(textarea) {
    target = textarea;
    if (!dialog) {
      buildDialog();
    }
    var search = dialog.querySelector(".md-picker-search");
    search.value = "";
    show("");
    dialog.showModal();
    search.focus();
  }

  // The picture picker: the shipped drawings and uploaded pictures, as thumbnails ------------------------

  var pictureDialog = null;
  var picturesPromise = null;
  var PLACEHOLDER = "Describe the picture";

  function buildPictureDialog() {
    pictureDialog = element("dialog", "md-picker md-picture-picker");
    closeOnEscape(pictureDialog);
    pictureDialog.setAttribute("aria-labelledby", "md-pictures-title");
    var title = element("h2", "", "Insert a picture");
    title.id = "md-pictures-title";
    var label = element("label", "", "Search the pictures");
    label.htmlFor = "md-pictures-search";
    var search = element("input", "md-picker-search");
    search.type = "search";
    search.id = "md-pictures-search";
    search.autocomplete = "off";
    var count = element("p", "md-picker-count");
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");
    var grid = element("ul", "md-picture-grid");
    grid.setAttribute("aria-label", "Pictures");
    var close = element("button", "md-button", "Cancel");
    close.type = "button";
    close.addEventListener("click", function () {
      pictureDialog.close();
    });
    pictureDialog.append(title, label, search, count, grid, close);
    document.body.append(pictureDialog);
    search.addEventListener("input", function () {
      showPictures(search.value);
    });
    pictureDialog.addEventListener("close", function () {
      if (target) {
        target.focus();
      }
    });
  }

  function showPictures(query) {
    var grid = pictureDialog.querySelector(".md-picture-grid");
    var count = pictureDialog.querySelector(".md-picker-count");
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!picturesPromise) {
      var url = target.closest("[data-markdown-editor]").dataset.picturesUrl;
      picturesPromise = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
        function (response) {
          if (!response.ok || response.redirected) {
            picturesPromise = null;
            throw new Error("The list of pictures could not be loaded.");
          }
          return response.json();
        }
      );
    }
    picturesPromise
      .then(function (data) {
        var matches = data.pictures.filter(function (picture) {
          var haystack = (picture.name + " " + picture.kind + " " + picture.url).toLowerCase();
          return words.every(function (word) {
            return haystack.indexOf(word) !== -1;
          });
        });
        grid.replaceChildren();
        matches.forEach(function (picture) {
          var item = element("li");
          var button = element("button", "md-picture");
          button.type = "button";
          var image = element("img");
          image.src = picture.url;
          image.alt = "";
          image.width = 120;
          image.height = 90;
          button.append(image, element("span", "md-picker-title", picture.name), element("span", "md-picker-meta", picture.kind));
          button.addEventListener("click", function () {
            insertPicture(picture);
          });
          item.append(button);
          grid.append(item);
        });
        count.textContent = matches.length === 1 ? "1 picture" : matches.length + " pictures";
      })
      .catch(function (error) {
        count.textContent = error.message;
      });
  }

  function insertPicture(picture) {
    var start = target.selectionStart;
    var before = start > 0 && target.value[start - 1] !== "\n" ? "\n\n" : "";
    var text = before + "![" + PLACEHOLDER + "](" + picture.url + ")\n\n";
    target.setRangeText(text, start, target.selectionEnd, "end");
    pictureDialog.close();
    // Select the placeholder, so the editor types the description over it.
    var at = start + before.length + 2;
    target.setSelectionRange(at, at + PLACEHOLDER.length);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function openPictures(textarea) {
    target = textarea;
    if (!pictureDialog) {
      buildPictureDialog();
    }
    var search = pictureDialog.querySelector(".md-picker-search");
    search.value = "";
    showPictures("");
    pictureDialog.showModal();
    search.focus();
  }

  function start() {
    document.querySelectorAll("[data-markdown-editor]").forEach(function (editor) {
      if (!editor.closest(".empty-form")) {
        setUp(editor); // an inline's blank template is set up when "Add another" copies it
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Inline forms added with "Add another" bring new editors (Django's admin sends this event).
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("[data-markdown-editor]").forEach(setUp);
  });
})();
