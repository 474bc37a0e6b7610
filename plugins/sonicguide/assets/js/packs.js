/*
 * sonicguide delivery packs: assemble a pack's zip in the browser from files published once.
 *
 * A pack is not stored as a zip on the site (that would store each audio file once per pack that
 * holds it): its plan (`<name>.pack.json`, see core/views/packs.py) lists the zip's bytes as
 * parts, small header bytes inline (base64) and URLs of files the site already publishes (the
 * audio, the pack's manifest.json and LICENSE.txt). A [data-sg-pack] button (hidden without
 * JavaScript, when the row's links to each file are the way to get them) fetches the plan and
 * every part, checks each part's size, joins them into a Blob, checks the zip's size (and its
 * SHA-256 where the browser offers crypto.subtle, up to 256 MiB) and saves it under its name.
 * Progress and failures are announced in the row's [data-sg-pack-status] live region; a page
 * opened from a folder (file://), where browsers refuse to fetch files, says so before trying.
 *
 * Initialised through Material's `document$` (instant navigation) when present, otherwise on
 * DOMContentLoaded; init() is idempotent.
 */
(() => {
  "use strict";
  const HASH_LIMIT = 256 * 1024 * 1024;
  const FILE_PROTOCOL = "A pack is assembled from the site's files, which browsers do not allow for a page " +
    "opened from a folder (file://). Serve the folder (python -m http.server), download the files of " +
    "this row one by one, or run: sonicguide pack SITE_FOLDER BRAND [TOUCHPOINT] -o PACK.zip";

  const sizeLabel = (bytes) => {
    if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
    if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} KiB`;
    return `${bytes} bytes`;
  };

  const fromBase64 = (text) => {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };

  const partName = (url) => {
    try {
      return decodeURIComponent(url.split("/").pop());
    } catch (err) {
      return url;
    }
  };

  const fetchOk = async (url, what) => {
    let response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new Error(`${what} could not be fetched (${url.pathname}): the site or the network did not answer.`);
    }
    if (!response.ok) {
      throw new Error(`${what} is missing from the site (${url.pathname}: HTTP ${response.status}); ` +
        "the site may be incomplete or still being published.");
    }
    return response;
  };

  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");

  const assemble = async (button, say) => {
    if (window.location.protocol === "file:") throw new Error(FILE_PROTOCOL);
    const planUrl = new URL(button.dataset.sgPack, document.baseURI);
    const plan = await (await fetchOk(planUrl, "The pack's plan")).json();
    if (plan.format !== "sonicguide-pack-plan" || plan.format_version !== 1) {
      throw new Error("The pack's plan is of a format this page does not know; reload the page.");
    }
    const parts = [];
    let done = 0;
    for (const part of plan.parts) {
      if (typeof part.base64 === "string") {
        const bytes = fromBase64(part.base64);
        parts.push(bytes);
        done += bytes.length;
        continue;
      }
      const name = partName(part.url);
      const blob = await (await fetchOk(new URL(part.url, planUrl), name)).blob();
      if (blob.size !== part.size_bytes) {
        throw new Error(`${name} on the site holds ${blob.size} bytes, not the ${part.size_bytes} the pack ` +
          "expects: the site is out of date; reload the page.");
      }
      parts.push(blob);
      done += blob.size;
      say(`Assembling ${plan.name}: ${Math.floor((100 * done) / plan.size_bytes)} % of ${sizeLabel(plan.size_bytes)}`);
    }
    const zip = new Blob(parts, { type: "application/zip" });
    if (zip.size !== plan.size_bytes) throw new Error(`The zip came to ${zip.size} bytes, not ${plan.size_bytes}.`);
    let checked = false;
    if (window.crypto && window.crypto.subtle && zip.size <= HASH_LIMIT) {
      const digest = hex(await window.crypto.subtle.digest("SHA-256", await zip.arrayBuffer()));
      if (digest !== plan.sha256) throw new Error("The zip's SHA-256 differs from the published one; reload the page.");
      checked = true;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(zip);
    link.download = plan.name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    say(`${plan.name} saved (${sizeLabel(zip.size)}${checked ? ", SHA-256 checked" : ""}).`);
  };

  const enhance = (button) => {
    const row = button.closest("[data-sg-pack-row]") || button.parentElement;
    const status = row.querySelector("[data-sg-pack-status]");
    const say = (text, failed) => {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("sg-pack-failed", Boolean(failed));
    };
    button.hidden = false;
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-busy") === "true") return;
      // aria-disabled, not disabled: a disabled button would drop the keyboard focus.
      button.setAttribute("aria-busy", "true");
      button.setAttribute("aria-disabled", "true");
      say("Assembling the zip…");
      try {
        await assemble(button, say);
      } catch (err) {
        say(`Could not make the zip. ${err.message}`, true);
      } finally {
        button.removeAttribute("aria-busy");
        button.removeAttribute("aria-disabled");
      }
    });
  };

  const init = () => {
    for (const button of document.querySelectorAll("[data-sg-pack]:not([data-sg-enhanced])")) {
      button.setAttribute("data-sg-enhanced", "");
      enhance(button);
    }
  };

  const initWhenReady = () => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init, { once: true });
    else init();
  };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe({ next: init, complete: initWhenReady });
  } else {
    initWhenReady();
  }
})();
