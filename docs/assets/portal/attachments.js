// @ts-check
/* Attachments: the file picker of the new-ticket and response forms (a button and drag-and-drop,
   a progress bar per file, retry and remove) and the files shown on a ticket and its messages.
   A file goes straight to S3 with the presigned POST the API hands out; the form then sends its
   id. Names are only ever text; an image's thumbnail is the presigned URL the download route
   redirects to, never markup. */
(() => {
  "use strict";
  const P = window.Portal;
  if (P.attach) return; // defined by an earlier page's bundle (each bundle holds what it needs)
  const { h, fill } = P;
  const A = P.contract.attachments;
  const MB = 1048576;
  const size = (n) => (n < 1024 ? `${n} B` : n < MB ? `${Math.round(n / 1024)} KB` : `${(n / MB).toFixed(1)} MB`);
  const ext = (name) => (/\.([^.]+)$/.exec(name) || ["", ""])[1].toLowerCase();

  // What the API would refuse, said before a byte is sent.
  const problem = (file) => (file.size > A.maxMb * MB ? `is ${size(file.size)}; the limit is ${A.maxMb} MB`
    : !file.size ? "is empty" : A.refused.includes(ext(file.name)) ? "is a program; put it in a .zip first" : "");

  // POST the file to S3 with the policy's fields first; progress through XMLHttpRequest.
  const post = (upload, file, bar) => new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    form.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = e.loaded / e.total; };
    xhr.onload = () => (xhr.status < 300 ? resolve(bar.value = 1) : reject(new Error(`The file store refused it (${xhr.status}).`)));
    xhr.onerror = () => reject(new Error("The upload failed; check your connection."));
    xhr.open("POST", upload.url);
    xhr.send(form);
  });

  /** A picker for a form: picker.ids() is the ids of its uploaded files, or throws what is wrong. */
  const picker = () => {
    const rows = [];
    const input = h("input", { type: "file", multiple: true, class: "portal-sr", tabindex: "-1", "aria-hidden": "true" });
    const list = h("ul", { class: "portal-files-list", "aria-live": "polite" });
    const box = h("div", { class: "portal-files" },
      h("div", { class: "portal-drop" }, "Attach files: drop them here or ",
        h("button", { type: "button", class: "md-button", "data-file": "pick" }, "choose files"),
        h("span", { class: "portal-hint" }, ` (up to ${A.maxFiles}, ${A.maxMb} MB each)`)),
      input, list);
    const show = (row) => {
      const { file, state } = row;
      fill(row.el, h("span", { class: "portal-file-name" }, file.name), ` ${size(file.size)}`,
        (state === "up" || state === "done") && row.bar,
        h("span", { class: `portal-file-state portal-file-state--${state}` },
          state === "done" ? "uploaded" : state === "up" ? "uploading…" : row.error),
        state === "failed" && h("button", { type: "button", class: "md-button", "data-file": "retry",
          "aria-label": `Retry ${file.name}` }, "Retry"),
        h("button", { type: "button", class: "md-button", "data-file": "remove",
          "aria-label": `Remove ${file.name}` }, "Remove"));
    };
    const send = async (row) => {
      row.state = "up";
      row.bar = h("progress", { max: "1", value: "0", "aria-label": `Upload of ${row.file.name}` });
      show(row);
      try {
        const { id, upload } = await P.api("POST", "/attachments", { filename: row.file.name,
          content_type: row.file.type || "application/octet-stream", size: row.file.size });
        await post(upload, row.file, row.bar);
        Object.assign(row, { id, state: "done" });
      } catch (error) { Object.assign(row, { state: "failed", error: error.message }); }
      show(row);
    };
    const addFiles = (files) => {
      for (const file of files) {
        const why = rows.length >= A.maxFiles ? `would be file ${rows.length + 1}; attach at most ${A.maxFiles}`
          : problem(file);
        const row = { file, el: h("li", { class: "portal-file" }), state: why ? "refused" : "", error: why && `${file.name} ${why}.` };
        rows.push(row);
        list.append(row.el);
        if (why) show(row); else send(row);
      }
    };
    box.addEventListener("click", (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest("[data-file]");
      const row = b && rows.find((r) => r.el.contains(b));
      const act = b && b.getAttribute("data-file");
      if (act === "pick") input.click();
      else if (act === "retry" && row) send(row);
      else if (act === "remove" && row) { rows.splice(rows.indexOf(row), 1); row.el.remove(); }
    });
    input.addEventListener("change", () => { addFiles(input.files || []); input.value = ""; });
    box.addEventListener("dragover", (e) => { e.preventDefault(); box.classList.add("portal-files--over"); });
    box.addEventListener("dragleave", () => box.classList.remove("portal-files--over"));
    box.addEventListener("drop", (e) => {
      e.preventDefault();
      box.classList.remove("portal-files--over");
      addFiles((e.dataTransfer && e.dataTransfer.files) || []);
    });
    return Object.assign(box, {
      ids: () => {
        if (rows.some((r) => r.state === "up")) throw new Error("Wait until the files are uploaded, then send again.");
        if (rows.some((r) => r.state !== "done")) throw new Error("Remove the files that could not be uploaded, or retry them.");
        return rows.map((r) => r.id);
      },
    });
  };

  // The download route answers 302 to a presigned GET: follow it, keep its address, drop the body.
  const link = async (number, id) => {
    const stop = new AbortController();
    const res = await P.send("GET", `/tickets/${number}/attachments/${id}`, null, {}, stop.signal);
    stop.abort();
    return res.url;
  };

  /** The files of a ticket or a message: name, size and type; images as thumbnails. */
  const files = (number, items) => !!(items && items.length) && h("ul", { class: "portal-attachments", "data-ticket": number },
    items.map((f) => {
      const thumb = A.images.includes(f.content_type) && h("img", { alt: "", class: "portal-thumb", width: "64", height: "64" });
      if (thumb) link(number, f.id).then((url) => { thumb.src = url; }, () => thumb.remove());
      return h("li", { class: "portal-attachment" }, thumb,
        h("button", { type: "button", class: "portal-link", "data-attachment": f.id, "aria-label": `Download ${f.filename}` },
          f.filename),
        h("span", { class: "portal-hint" }, ` ${size(f.size)}, ${f.content_type}`));
    }));

  // One listener per page for every file button a ticket shows (event delegation).
  document.addEventListener("click", async (e) => {
    const b = /** @type {HTMLElement} */ (e.target).closest("[data-attachment]");
    const n = b && b.closest("[data-ticket]")?.getAttribute("data-ticket");
    if (!n) return;
    try { location.assign(await link(Number(n), b.getAttribute("data-attachment"))); } catch (error) {
      b.after(P.note(error.message, "error"));
    }
  });

  P.attach = { picker, files };
})();
