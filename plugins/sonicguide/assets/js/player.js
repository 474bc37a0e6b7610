/*
 * sonicguide player: progressive enhancement of the markup from templates/player/macros.html.
 * No dependencies, no network: the waveform comes from peaks computed at build time.
 *
 * - [data-sg-player]: play/pause button, waveform canvas that is also an ARIA slider
 *   (arrows +-5 s, PageUp/PageDown +-10 %, Home/End, Space plays/pauses), elapsed/total
 *   time, regions (loopable) and named markers. The native <audio> stays in the page.
 * - [data-sg-compare]: loudness-matched A/B. The quieter asset of the pair plays at unity
 *   gain, the louder one at 10^(-difference/20) through audio.volume; switching keeps the
 *   playback position.
 * - Only one <audio> on the page plays at a time.
 *
 * Links: `page/?t=SECONDS#ASSET-ID` (also `?t=M:SS`). The fragment stays a plain element id,
 * so the browser scrolls to the asset's section without this script; the script then cues
 * that asset's player at the time and tries to play. When the browser blocks autoplay the
 * player stays cued and says so, and its play button starts there.
 *
 * Initialised through Material's `document$` when present (instant navigation), otherwise
 * on DOMContentLoaded; init() is idempotent and releases players whose page has gone.
 */
(() => {
  "use strict";
  if (window.sonicguidePlayer) {
    window.sonicguidePlayer.init();
    return;
  }

  const SEEK_STEP_S = 5;
  const PAGE_STEP_FRACTION = 0.1;
  const live = []; // enhanced Player and Comparison objects of the current page

  /**
   * The running clock, by the rules of core/views/format.py (clock): whole seconds as m:ss,
   * floored; in a sound shorter than a second (total), seconds with two decimals ("0.12 s").
   */
  const clock = (seconds, total) => {
    const t = Math.max(0, seconds || 0);
    if ((total === undefined ? t : total) < 1) return t.toFixed(2) + " s";
    const whole = Math.floor(t);
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  };
  const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
  const formatDb = (db) => (db < 0 ? "\u2212" : "") + Math.abs(db).toFixed(1) + " dB";

  /** Seconds from "12", "12.5" or "1:30"; null when the text is none of these. */
  const parseTime = (text) => {
    const m = /^(?:(\d+):)?(\d+(?:\.\d+)?)$/.exec(text || "");
    if (!m) return null;
    return (m[1] ? Number(m[1]) * 60 : 0) + Number(m[2]);
  };

  const startPlayback = (audio) => {
    const attempt = audio.play();
    return attempt ? attempt : Promise.resolve();
  };

  /** Whether the browser can seek `audio` to `t` seconds without downloading up to there. */
  const canSeekTo = (audio, t) => {
    const ranges = audio.seekable;
    for (let i = 0; i < ranges.length; i++) {
      if (ranges.start(i) <= t && t <= ranges.end(i)) return true;
    }
    return false;
  };

  /*
   * Servers that ignore HTTP Range (`mkdocs serve`, some previews) give Chromium a stream it
   * cannot seek in: setting currentTime does nothing and playback starts from 0. When the
   * target time is not in `audio.seekable`, fetch the file once and play it from a Blob URL,
   * which is always seekable; the pending seek is applied when its metadata has loaded.
   */
  const loadAsBlob = (audio, owner) => {
    if (audio.dataset.sgBlob) return;
    const source = audio.querySelector("source");
    const url = audio.currentSrc || audio.getAttribute("src") || (source && source.src);
    if (!url || url.startsWith("blob:")) return;
    audio.dataset.sgBlob = "loading";
    // Playing on meanwhile would be heard from 0:00: stop now, and play again once the pending
    // seek has landed in the Blob ("seeked" in the player).
    if (!audio.paused) {
      audio.pause();
      owner.playAfterSeek = true;
    }
    fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.blob();
      })
      .then((blob) => {
        if (!audio.isConnected) return;
        const blobUrl = URL.createObjectURL(blob);
        audio.dataset.sgBlob = blobUrl;
        audio.preload = "auto";
        audio.src = blobUrl; // the src attribute takes precedence over <source> children
        audio.load();
      })
      .catch(() => {
        audio.dataset.sgBlob = "failed"; // seek as far as the browser allows
        if (owner.pendingSeek !== null && audio.readyState >= HTMLMediaElement.HAVE_METADATA) {
          audio.currentTime = owner.pendingSeek;
          owner.pendingSeek = null;
        }
      });
  };

  /** Seek that also works before the metadata has loaded (preload="none") and on servers
   *  without HTTP Range support. */
  const seekAudio = (audio, owner, t) => {
    if (audio.readyState >= HTMLMediaElement.HAVE_METADATA) {
      if (t > 0 && !canSeekTo(audio, t) && !audio.dataset.sgBlob) {
        owner.pendingSeek = t;
        loadAsBlob(audio, owner);
        return;
      }
      if (audio.dataset.sgBlob === "loading") {
        owner.pendingSeek = t;
        return;
      }
      audio.currentTime = t;
      owner.pendingSeek = null;
    } else {
      owner.pendingSeek = t;
      if (audio.paused && audio.networkState !== HTMLMediaElement.NETWORK_LOADING) {
        audio.preload = "metadata";
        audio.load();
      }
    }
  };

  /** Release a Blob URL made by loadAsBlob. */
  const releaseBlob = (audio) => {
    const blobUrl = audio.dataset.sgBlob;
    if (blobUrl && blobUrl.startsWith("blob:")) URL.revokeObjectURL(blobUrl);
  };

  const setPlayingLook = (button, root, playing) => {
    button.setAttribute("aria-label", button.dataset[playing ? "labelPause" : "labelPlay"]);
    root.classList.toggle("sg-playing", playing);
  };

  class Player {
    constructor(root) {
      this.root = root;
      this.audio = root.querySelector("audio");
      this.button = root.querySelector(".sg-player__play");
      this.wave = root.querySelector(".sg-player__wave");
      this.canvas = root.querySelector(".sg-player__canvas");
      this.elapsed = root.querySelector(".sg-player__elapsed");
      this.status = root.querySelector(".sg-player__status");
      this.totalS = Number(root.dataset.durationS) || 0;
      this.peaks = parsePeaks(root.dataset.peaks);
      this.regions = Array.from(root.querySelectorAll(".sg-player__loop"), (b) => ({
        button: b, startS: Number(b.dataset.startS), endS: Number(b.dataset.endS), kind: b.dataset.kind,
      }));
      this.markers = Array.from(root.querySelectorAll(".sg-player__jump"), (b) => ({
        button: b, atS: Number(b.dataset.atS),
      }));
      this.loop = null;
      this.pendingSeek = null;
      this.playAfterSeek = false;
      this.frame = 0;
      this.shownClock = null;
      this.colors = null;
      this.abort = new AbortController();

      const on = (el, type, fn) => el.addEventListener(type, fn, { signal: this.abort.signal });
      const a = this.audio;
      on(this.button, "click", () => this.toggle());
      on(this.wave, "keydown", (e) => this.onKey(e));
      on(this.wave, "pointerdown", (e) => this.onPointer(e));
      on(this.wave, "pointermove", (e) => { if (this.wave.hasPointerCapture(e.pointerId)) this.onPointer(e); });
      for (const r of this.regions) on(r.button, "click", () => this.toggleLoop(r));
      for (const m of this.markers) on(m.button, "click", () => { this.setLoop(null); this.seek(m.atS); this.play(); });
      on(a, "loadedmetadata", () => {
        if (Number.isFinite(a.duration) && a.duration > 0) this.totalS = a.duration;
        if (this.pendingSeek !== null) seekAudio(a, this, this.pendingSeek);
      });
      on(a, "play", () => { setPlayingLook(this.button, this.root, true); this.tick(); });
      on(a, "playing", () => this.say("")); // only real playback clears a message
      on(a, "pause", () => { setPlayingLook(this.button, this.root, false); this.render(); });
      on(a, "ended", () => {
        if (this.loop) { seekAudio(a, this, this.loop.startS); this.play(); }
      });
      on(a, "timeupdate", () => { this.keepInLoop(); if (a.paused) this.render(); });
      on(a, "seeked", () => {
        this.render();
        if (this.playAfterSeek && this.pendingSeek === null) { this.playAfterSeek = false; this.play(); }
      });
      // With <source> children a failed load fires "error" on the last <source>, not on <audio>.
      for (const el of [a, ...a.querySelectorAll("source")]) on(el, "error", () => this.say("This audio could not be loaded."));
      this.resize = new ResizeObserver(() => this.render(true));
      this.resize.observe(this.canvas);

      const hear = root.querySelector("[data-sg-hear]");
      if (hear) this.enhanceHear(hear, on);

      a.removeAttribute("controls"); // the enhanced controls replace the native ones
      root.querySelector(".sg-player__ui").hidden = false;
      for (const b of root.querySelectorAll(".sg-player__loop, .sg-player__jump")) b.hidden = false;
      root.classList.add("sg-player--enhanced");
      this.render(true);
    }

    time() { return this.pendingSeek !== null ? this.pendingSeek : this.audio.currentTime; }

    /*
     * "Hear it as on": the audition links become toggle buttons (original first) that switch the
     * player's source, keep the position and the playing state, and play every version at the
     * loudness of the quietest (data-gain-db, at most 0 dB) once the listener has switched.
     */
    enhanceHear(hear, on) {
      const list = hear.querySelector(".sg-player__hear-list");
      const now = hear.querySelector(".sg-player__hear-now");
      const choices = [{ src: hear.dataset.originalSrc, gainDb: Number(hear.dataset.originalGainDb) || 0,
                         name: "original", effect: "" }];
      for (const link of list.querySelectorAll(".sg-player__hear-link")) {
        const effect = link.parentElement.querySelector(".sg-player__hear-effect");
        choices.push({ src: link.getAttribute("href"), gainDb: Number(link.dataset.gainDb) || 0,
                       name: link.textContent.trim(), effect: effect ? effect.textContent.trim() : "", link });
      }
      const first = document.createElement("li");
      first.className = "sg-player__hear-item";
      list.prepend(first);
      choices.forEach((choice, i) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sg-player__hear-pick";
        button.textContent = choice.name;
        button.dataset.index = String(i);
        button.setAttribute("aria-pressed", String(i === 0));
        if (choice.link) choice.link.replaceWith(button);
        else first.append(button);
        choice.button = button;
        on(button, "click", () => this.hear(choices, i, now));
      });
      // The label leads the row of choices (shown once, for sight); the list keeps its own label.
      const label = hear.querySelector(".sg-player__hear-label");
      const shown = document.createElement("li");
      shown.className = "sg-player__hear-item sg-player__hear-lead";
      shown.setAttribute("aria-hidden", "true");
      shown.textContent = label.textContent.replace(/\s*\(.*\)/, "");
      list.prepend(shown);
      label.classList.add("sg-visually-hidden");
      // "Now: ..." appears once the listener has chosen (the pressed button says the original until then).
      hear.classList.add("sg-player__hear--enhanced");
    }

    hear(choices, index, now) {
      const choice = choices[index];
      for (const c of choices) c.button.setAttribute("aria-pressed", String(c === choice));
      const a = this.audio;
      const source = a.querySelector("source");
      const current = a.getAttribute("src") || (source && source.getAttribute("src"));
      a.volume = Math.min(1, Math.pow(10, choice.gainDb / 20));
      now.hidden = false;
      now.textContent = index === 0
        ? "Now: the original" + (choice.gainDb < 0 ? ", " + formatDb(choice.gainDb) + " to match the others." : ".")
        : "Now: as on " + choice.name + " (" + choice.effect + "), at matched loudness.";
      if (current === choice.src && !a.dataset.sgBlob) return;
      const t = this.time();
      const playing = !a.paused || this.playAfterSeek;
      a.pause();
      releaseBlob(a);
      delete a.dataset.sgBlob;
      this.playAfterSeek = playing;
      this.pendingSeek = t;
      a.src = choice.src;
      a.preload = "metadata";
      a.load();
    }

    say(text) { if (this.status.textContent !== text) this.status.textContent = text; }

    play() {
      // A seek still waiting for metadata (or for the seekable copy) would be heard from 0:00
      // if playback started now: start once it has landed ("seeked").
      if (this.pendingSeek !== null) {
        this.playAfterSeek = true;
        return Promise.resolve();
      }
      return startPlayback(this.audio).catch((err) => {
        if (err && err.name === "NotAllowedError") this.say("Press play to listen from " + clock(this.time(), this.totalS) + ".");
      });
    }

    toggle() {
      if (this.playAfterSeek) this.playAfterSeek = false; // a second press before the seek landed
      else if (this.audio.paused) this.play();
      else this.audio.pause();
    }

    seek(t) {
      seekAudio(this.audio, this, clamp(t, 0, this.totalS));
      this.render();
    }

    /** Link target: seek to t and try to play (the browser may require a user gesture). */
    cue(t) {
      this.seek(t);
      this.play();
    }

    setLoop(region) {
      this.loop = region;
      for (const r of this.regions) r.button.setAttribute("aria-pressed", String(r === region));
      this.render();
    }

    toggleLoop(region) {
      if (this.loop === region) { this.setLoop(null); return; }
      this.setLoop(region);
      this.seek(region.startS);
      this.play();
    }

    keepInLoop() {
      const r = this.loop;
      if (r && this.pendingSeek === null && this.audio.currentTime >= r.endS) seekAudio(this.audio, this, r.startS);
    }

    onKey(e) {
      const t = this.time();
      let to;
      switch (e.key) {
        case "ArrowRight": case "ArrowUp": to = t + SEEK_STEP_S; break;
        case "ArrowLeft": case "ArrowDown": to = t - SEEK_STEP_S; break;
        case "PageUp": to = t + this.totalS * PAGE_STEP_FRACTION; break;
        case "PageDown": to = t - this.totalS * PAGE_STEP_FRACTION; break;
        case "Home": to = 0; break;
        case "End": to = this.totalS; break;
        case " ": case "Enter": e.preventDefault(); this.toggle(); return;
        default: return;
      }
      e.preventDefault();
      this.seek(to);
    }

    onPointer(e) {
      if (e.type === "pointerdown") {
        if (e.button !== 0) return;
        this.wave.setPointerCapture(e.pointerId);
      }
      const box = this.wave.getBoundingClientRect();
      if (box.width > 0) this.seek(((e.clientX - box.left) / box.width) * this.totalS);
    }

    tick() {
      cancelAnimationFrame(this.frame);
      const step = () => {
        this.keepInLoop();
        this.render();
        if (!this.audio.paused) this.frame = requestAnimationFrame(step);
      };
      this.frame = requestAnimationFrame(step);
    }

    render(refreshColors) {
      const t = this.time();
      const second = Math.floor(t);
      const text = clock(t, this.totalS);
      if (text !== this.shownClock) {
        this.shownClock = text;
        this.elapsed.textContent = text;
        this.wave.setAttribute("aria-valuenow", String(second));
        this.wave.setAttribute("aria-valuemax", String(Math.floor(this.totalS)));
        this.wave.setAttribute("aria-valuetext", text + " of " + clock(this.totalS, this.totalS));
      }
      if (refreshColors || !this.colors) this.colors = readColors(this.wave);
      drawWave(this, t);
    }

    destroy() {
      this.abort.abort();
      this.resize.disconnect();
      cancelAnimationFrame(this.frame);
      this.audio.pause();
      releaseBlob(this.audio);
    }
  }

  const parsePeaks = (text) => {
    try {
      const values = JSON.parse(text || "[]");
      return Array.isArray(values) ? values.map((v) => clamp(Number(v) / 100, -1, 1) || 0) : [];
    } catch (_) {
      return [];
    }
  };

  const COLOR_NAMES = ["wave", "played", "playhead", "marker", "loop",
    "region-ai-generated", "region-ai-assisted", "region-human", "region-other"];

  /** Canvas colours come from CSS custom properties, so they follow Material's palette. */
  const readColors = (el) => {
    const style = getComputedStyle(el);
    const colors = {};
    for (const name of COLOR_NAMES) colors[name] = style.getPropertyValue("--sg-player-" + name).trim() || "gray";
    return colors;
  };

  const drawWave = (player, t) => {
    const canvas = player.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext("2d");
    const colors = player.colors;
    const total = player.totalS > 0 ? player.totalS : 1;
    const xOf = (s) => clamp(s / total, 0, 1) * width;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);

    // Regions: a translucent band and a solid strip along the bottom edge.
    for (const r of player.regions) {
      const x0 = xOf(r.startS);
      const w = Math.max(1, xOf(r.endS) - x0);
      const key = "region-" + r.kind;
      ctx.fillStyle = colors[key in colors ? key : "region-other"];
      ctx.globalAlpha = r === player.loop ? 0.35 : 0.18;
      ctx.fillRect(x0, 0, w, height);
      ctx.globalAlpha = 1;
      ctx.fillRect(x0, height - 4, w, 4);
      if (r === player.loop) {
        ctx.fillStyle = colors.loop;
        ctx.fillRect(x0, 0, w, 3);
      }
    }

    // Peaks, coloured up to the playhead.
    const mid = (height - 4) / 2;
    const columns = player.peaks.length / 2;
    const playX = xOf(t);
    if (columns >= 1) {
      const step = width / columns;
      const barW = Math.max(1, step * 0.8);
      for (let i = 0; i < columns; i++) {
        const lo = player.peaks[2 * i];
        const hi = player.peaks[2 * i + 1];
        const x = i * step;
        ctx.fillStyle = x < playX ? colors.played : colors.wave;
        ctx.fillRect(x, mid - hi * mid, barW, Math.max(1, (hi - lo) * mid));
      }
    } else {
      ctx.fillStyle = colors.wave;
      ctx.fillRect(0, mid - 1, width, 2);
      ctx.fillStyle = colors.played;
      ctx.fillRect(0, mid - 1, playX, 2);
    }

    ctx.fillStyle = colors.marker;
    for (const m of player.markers) {
      const x = xOf(m.atS);
      ctx.fillRect(x - 1, 0, 2, height);
      ctx.beginPath();
      ctx.moveTo(x - 5, 0);
      ctx.lineTo(x + 5, 0);
      ctx.lineTo(x, 6);
      ctx.fill();
    }
    ctx.fillStyle = colors.playhead;
    ctx.fillRect(Math.min(playX, width - 2), 0, 2, height);
  };

  class Comparison {
    constructor(root) {
      this.root = root;
      this.audios = Array.from(root.querySelectorAll(".sg-compare__items audio"));
      this.lufs = this.audios.map((a) => Number(a.dataset.integratedLufs));
      this.selects = {};
      for (const s of root.querySelectorAll(".sg-compare__select")) this.selects[s.dataset.slot] = s;
      this.picks = Array.from(root.querySelectorAll(".sg-compare__pick"));
      this.button = root.querySelector(".sg-compare__play");
      this.timeText = root.querySelector(".sg-compare__time");
      this.gainText = root.querySelector(".sg-compare__gain");
      this.slot = "a";
      this.pendingSeek = null;
      this.playAfterSeek = false;
      this.abort = new AbortController();
      const on = (el, type, fn) => el.addEventListener(type, fn, { signal: this.abort.signal });

      on(this.button, "click", () => {
        const a = this.active();
        if (this.playAfterSeek) this.playAfterSeek = false;
        else if (a.paused) this.playActive();
        else a.pause();
      });
      for (const p of this.picks) on(p, "click", () => this.switchTo(p.dataset.slot));
      for (const s of Object.values(this.selects)) on(s, "change", () => this.choose());
      for (const a of this.audios) {
        on(a, "play", () => this.sync());
        on(a, "pause", () => this.sync());
        on(a, "timeupdate", () => this.sync());
        on(a, "loadedmetadata", () => {
          if (a === this.active() && this.pendingSeek !== null) seekAudio(a, this, this.pendingSeek);
        });
        on(a, "seeked", () => {
          if (a === this.active() && this.playAfterSeek && this.pendingSeek === null) {
            this.playAfterSeek = false;
            this.playActive();
          }
        });
        a.removeAttribute("controls");
      }
      root.querySelector(".sg-compare__items").hidden = true;
      root.querySelector(".sg-compare__ui").hidden = false;
      root.classList.add("sg-compare--enhanced");
      this.applyGains();
      this.sync();
    }

    index(slot) { return Number(this.selects[slot].value); }

    active() { return this.audios[this.index(this.slot)]; }

    /** Linear gains of the chosen pair: the quieter at 1, the louder attenuated to match it. */
    gains() {
      const ia = this.index("a");
      const ib = this.index("b");
      const quietest = Math.min(this.lufs[ia], this.lufs[ib]);
      const db = { a: quietest - this.lufs[ia], b: quietest - this.lufs[ib] };
      return { ia, ib, db, volume: { a: 10 ** (db.a / 20), b: 10 ** (db.b / 20) } };
    }

    applyGains() {
      const g = this.gains();
      for (const a of this.audios) a.volume = 1;
      this.audios[g.ia].volume = g.volume.a;
      if (g.ib !== g.ia) this.audios[g.ib].volume = g.volume.b;
      this.gainText.textContent = g.ia === g.ib
        ? "A and B are the same asset."
        : "Gain applied to match loudness: A " + formatDb(g.db.a) + ", B " + formatDb(g.db.b) + ".";
    }

    playActive() {
      const a = this.active();
      const other = this.audios[this.index(this.slot === "a" ? "b" : "a")];
      other.preload = "auto"; // so that switching does not wait for the network
      if (this.pendingSeek !== null) { this.playAfterSeek = true; return; } // start where the seek lands
      startPlayback(a).catch(() => {});
    }

    switchTo(slot) {
      if (slot === this.slot) return;
      const from = this.active();
      const wasPlaying = this.playAfterSeek || !from.paused;
      const t = this.pendingSeek !== null ? this.pendingSeek : from.currentTime;
      this.slot = slot;
      const to = this.active();
      for (const p of this.picks) p.setAttribute("aria-pressed", String(p.dataset.slot === slot));
      if (to === from) return;
      from.pause();
      this.playAfterSeek = false;
      const limit = Number.isFinite(to.duration) ? to.duration : Infinity;
      seekAudio(to, this, Math.min(t, limit));
      if (wasPlaying) this.playActive();
      this.sync();
    }

    /** A select changed: new gains; the active slot may now be another asset (same position). */
    choose() {
      const playing = this.playAfterSeek || this.audios.some((a) => !a.paused);
      const t = this.time();
      for (const a of this.audios) a.pause();
      this.playAfterSeek = false;
      this.applyGains();
      seekAudio(this.active(), this, t);
      if (playing) this.playActive();
      this.sync();
    }

    time() { return this.pendingSeek !== null ? this.pendingSeek : this.active().currentTime; }

    sync() {
      setPlayingLook(this.button, this.root, !this.active().paused);
      const a = this.active();
      this.timeText.textContent = clock(this.time(), Number.isFinite(a.duration) ? a.duration : Infinity);
    }

    destroy() {
      this.abort.abort();
      for (const a of this.audios) { a.pause(); releaseBlob(a); }
    }
  }

  const findPlayer = (assetId) => {
    const target = document.getElementById(assetId);
    const root = target && (target.matches("[data-sg-player]") ? target : target.querySelector("[data-sg-player]"));
    return live.find((p) => p instanceof Player && (p.root === root || (!root && p.root.dataset.assetId === assetId)));
  };

  /*
   * A time link is handled once per page path + query: following a table-of-contents link
   * (same query, new fragment) must not cue another asset with the time of the link that
   * opened the page, while a new `?t=` on the same page (Material's instant navigation
   * handles that without a new document$, through location$) cues again.
   */
  let linkKey = null;
  let pagePath = null;
  // A hand-edited link can hold a malformed escape ("#logo%", "#%E0%A4"): decodeURIComponent
  // throws on it. Use the fragment as written then (asset ids are plain ASCII anyway).
  const decodeFragment = (fragment) => {
    try {
      return decodeURIComponent(fragment);
    } catch (err) {
      return fragment;
    }
  };
  const applyLink = (url) => {
    const key = url.pathname + url.search;
    if (key === linkKey) return;
    linkKey = key;
    const assetId = decodeFragment(url.hash.slice(1));
    const t = parseTime(url.searchParams.get("t"));
    if (!assetId || t === null) return;
    const player = findPlayer(assetId);
    if (player) player.cue(t);
  };
  const onSamePageUrl = (url) => {
    if (url.pathname === pagePath) applyLink(url);
    revealTarget();
  };

  /*
   * Brand pages collapse their details (facts, charts, stage tables, conformance) in <details>:
   * a link to anything inside one opens it (and every enclosing one) and scrolls to the target.
   */
  const revealTarget = () => {
    const id = decodeFragment(location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target) return;
    let opened = false;
    for (let el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    if (opened) target.scrollIntoView();
  };

  const enhanceAll = (selector, Kind) => {
    for (const root of document.querySelectorAll(selector + ":not([data-sg-enhanced])")) {
      root.setAttribute("data-sg-enhanced", "");
      // A comparison with fewer than two measured assets has no switch: keep it native.
      if (Kind === Comparison && !root.querySelector(".sg-compare__ui")) continue;
      try {
        live.push(new Kind(root));
      } catch (err) {
        console.error("sonicguide player:", err); // leave the native controls in place
      }
    }
  };

  const init = () => {
    if (!watching && document.body) {
      watching = true;
      paletteWatch.observe(document.body, {
        attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"],
      });
    }
    for (let i = live.length - 1; i >= 0; i--) {
      if (!live[i].root.isConnected) live.splice(i, 1)[0].destroy();
    }
    enhanceAll("[data-sg-player]", Player);
    enhanceAll("[data-sg-compare]", Comparison);
    pagePath = location.pathname;
    applyLink(new URL(location.href));
    revealTarget();
  };

  // One asset at a time: 'play' does not bubble, so listen in the capture phase.
  document.addEventListener("play", (e) => {
    for (const audio of document.querySelectorAll("audio")) {
      if (audio !== e.target && !audio.paused) audio.pause();
    }
  }, true);
  // Material switches palettes through attributes on <body>: redraw the canvases then.
  const paletteWatch = new MutationObserver(() => {
    for (const p of live) if (p instanceof Player) p.render(true);
  });
  let watching = false;

  window.addEventListener("popstate", () => onSamePageUrl(new URL(location.href)));
  window.addEventListener("hashchange", revealTarget);
  if (window.location$ && typeof window.location$.subscribe === "function") {
    window.location$.subscribe((url) => onSamePageUrl(new URL(String(url))));
  }

  window.sonicguidePlayer = { init, players: live, parseTime };
  const initWhenReady = () => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init, { once: true });
    else init();
  };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    // On file:// with navigation.instant, Material completes document$ without ever emitting:
    // start on DOMContentLoaded then (init is idempotent, so emitting and completing is harmless).
    window.document$.subscribe({ next: init, complete: initWhenReady });
  } else {
    initWhenReady();
  }
})();
