// 扫码登录：每 2 秒询问一次二维码是否已在小程序中确认；确认后进入工作台，过期则刷新二维码。
(function () {
  "use strict";
  var box = document.getElementById("login");
  if (!box) { return; }
  var status = document.getElementById("login-status");
  var token = document.querySelector("meta[name=csrf-token]").content;
  var started = Date.now();

  function poll() {
    var body = new URLSearchParams();
    body.set("next", box.dataset.next || "");
    fetch(box.dataset.poll, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRF-Token": token }
    }).then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.status === "signed_in") {
        status.textContent = "已确认，正在进入工作台…";
        window.location.assign(answer.next);
      } else if (answer.status === "expired") {
        status.textContent = "二维码已过期，正在刷新…";
        window.location.assign(box.dataset.refresh);
      } else {
        if (Date.now() - started > 10 * 60 * 1000) { return; }  // stop after 10 minutes
        setTimeout(poll, 2000);
      }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
