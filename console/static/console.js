// 工作台的通用脚本：全选复选框、提交前确认、拒绝时必须填写原因。不依赖任何外部库。
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var form = box.closest("form");
      form.querySelectorAll("input[type=checkbox][name='" + box.dataset.selectAll + "']")
        .forEach(function (item) { item.checked = box.checked; });
    });
  });
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      if (!window.confirm(el.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
