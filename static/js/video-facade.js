/*
 * Click-to-load video: the page shows a button and a plain link, and makes no
 * request to the video host. Only when the reader presses the button is the
 * privacy-enhanced player (youtube-nocookie.com or player.vimeo.com with dnt=1)
 * put in its place. The embed address is built on the server (articles/video.py).
 */
(function () {
  "use strict";

  var ALLOWED = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;

  document.querySelectorAll("[data-video-embed]").forEach(function (facade) {
    var button = facade.querySelector(".video-play");
    var src = facade.getAttribute("data-video-embed");
    if (!button || !ALLOWED.test(src)) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var iframe = document.createElement("iframe");
      iframe.src = src;
      iframe.title = facade.getAttribute("data-video-title") || "Video";
      iframe.className = "video-iframe";
      iframe.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      iframe.allowFullscreen = true;
      iframe.referrerPolicy = "strict-origin-when-cross-origin";
      facade.querySelectorAll(".video-poster, .video-duration").forEach(function (el) { el.remove(); });
      button.replaceWith(iframe);
      iframe.focus();
    }, { once: true });
  });
})();
