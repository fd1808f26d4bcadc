#!/usr/bin/env node
// Plays one URL in Debian's headless Chromium with a web player (hls.js, mpegts.js, dash.js, or a
// bare <video>) and prints one JSON line: how far video.currentTime advanced in the measured
// window, the picture size, decoded/dropped frames, the player's errors, and which codecs this
// Chromium's MediaSource accepts. The integration tests judge the numbers; this only measures.
//
//   node play.js --player hls|mpegts|dash|video|probe --url URL [--seconds 10] [--startup 20]
//                [--pidfile PATH (gets Chromium's pid)] [--profile DIR (Chromium's user data dir)]
//                [--chromium /usr/bin/chromium]
//
// Exit codes: 0 measured (the caller checks the numbers), 1 a fatal player or media error, or
// playback never started, 2 the harness failed (no browser, bad arguments), 3 the overall time
// bound hit. Chromium is killed on every path.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

const LIBS = {
    hls: 'hls.js/dist/hls.min.js',
    mpegts: 'mpegts.js/dist/mpegts.js',
    dash: 'dashjs/dist/modern/umd/dash.all.min.js',
};

// MSE types the tests may need: what Debian's Chromium (built without proprietary codecs in some
// distributions) accepts decides which streams a browser test can use.
const PROBE_TYPES = [
    'video/mp4; codecs="avc1.42E01E"',
    'video/mp4; codecs="avc1.64001F"',
    'video/mp4; codecs="hvc1.1.6.L93.B0"',
    'video/mp4; codecs="av01.0.04M.08"',
    'video/mp4; codecs="vp09.00.10.08"',
    'video/webm; codecs="vp9"',
    'audio/mp4; codecs="mp4a.40.2"',
    'audio/mp4; codecs="mp4a.40.5"',
    'audio/mp4; codecs="opus"',
    'audio/mpeg',
    'audio/mp4; codecs="ac-3"',
];

function parseArgs(argv) {
    const o = {player: '', url: '', seconds: 10, startup: 20, pidfile: '', profile: '',
               chromium: process.env.CHROMIUM || '/usr/bin/chromium'};
    for (let i = 0; i < argv.length; i += 2) {
        const k = argv[i].replace(/^--/, '');
        const v = argv[i + 1];
        if (!(k in o) || v === undefined) throw new Error('bad argument ' + argv[i]);
        o[k] = typeof o[k] === 'number' ? Number(v) : v;
    }
    if (!['hls', 'mpegts', 'dash', 'video', 'probe'].includes(o.player)) throw new Error('--player is required');
    if (o.player !== 'probe' && !o.url) throw new Error('--url is required');
    return o;
}

// The page creates the player and records every error in window.__errors; a fatal one also sets
// window.__fatal. The page's origin differs from the server's: the server must send CORS headers,
// as it must for any web player.
function pageHtml(player, url) {
    const lib = LIBS[player] ? '<script src="/lib/' + player + '.js"></script>' : '';
    const start = {
        hls: `
            if (!Hls.isSupported()) fatal('hls.js: MSE not supported');
            const hls = new Hls({enableWorker: true, lowLatencyMode: false});
            hls.on(Hls.Events.ERROR, (ev, d) => err({type: d.type, details: d.details, fatal: d.fatal}, d.fatal));
            hls.loadSource(STREAM_URL);
            hls.attachMedia(v);`,
        mpegts: `
            if (!mpegts.getFeatureList().mseLivePlayback) fatal('mpegts.js: no MSE live playback');
            const p = mpegts.createPlayer({type: 'flv', isLive: true, url: STREAM_URL},
                                          {enableWorker: false, lazyLoad: false, liveBufferLatencyChasing: false});
            // mpegts.js reports network and media errors as fatal: it stops loading after them.
            p.on(mpegts.Events.ERROR, (type, details, info) => err({type, details, info: String(info && info.msg || '')}, true));
            p.attachMediaElement(v);
            p.load();
            p.play();`,
        dash: `
            const p = dashjs.MediaPlayer().create();
            // dash.js goes on with the client's clock when its time sync fails (code 16): a warning
            // the caller can still find in the errors; every other error stops it.
            p.on(dashjs.MediaPlayer.events.ERROR, e => {
                const code = e.error && e.error.code;
                err({code, message: e.error && e.error.message || String(e.error)}, code !== 16);
            });
            p.on(dashjs.MediaPlayer.events.PLAYBACK_ERROR, e => err({playback_error: String(e.error)}, true));
            p.initialize(v, STREAM_URL, true);`,
        video: `
            v.src = STREAM_URL;
            v.play().catch(e => err({play: String(e)}, false));`,
        probe: '',
    }[player];
    return `<!doctype html><html><head><meta charset="utf-8">${lib}</head><body>
<video id="v" muted autoplay playsinline width="640" height="360"></video>
<script>
const STREAM_URL = ${JSON.stringify(url || '')};
window.__errors = [];
window.__fatal = false;
function err(e, isFatal) { window.__errors.push(e); if (isFatal) window.__fatal = true; }
function fatal(msg) { err({message: msg}, true); throw new Error(msg); }
const v = document.getElementById('v');
v.muted = true;
// A media element error (decode or source not supported) ends playback whatever the player does.
v.addEventListener('error', () => err({media_error: v.error && v.error.code, message: v.error && v.error.message}, true));
${start}
</script></body></html>`;
}

function serve(player, url) {
    const html = pageHtml(player, url);
    const server = http.createServer((req, res) => {
        const m = /^\/lib\/(\w+)\.js$/.exec(req.url);
        if (m && LIBS[m[1]]) {
            res.writeHead(200, {'Content-Type': 'text/javascript'});
            fs.createReadStream(path.join(__dirname, 'node_modules', LIBS[m[1]])).pipe(res);
        } else if (req.url === '/') {
            res.writeHead(200, {'Content-Type': 'text/html'});
            res.end(html);
        } else {
            res.writeHead(404);
            res.end();
        }
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sample() {
    const v = document.getElementById('v');
    const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : {};
    return {
        t: v.currentTime, w: v.videoWidth, h: v.videoHeight, rs: v.readyState, paused: v.paused,
        decoded: q.totalVideoFrames || 0, dropped: q.droppedVideoFrames || 0,
        errors: window.__errors, fatal: window.__fatal,
    };
}

async function main() {
    let opts;
    try {
        opts = parseArgs(process.argv.slice(2));
    } catch (e) {
        console.log(JSON.stringify({ok: false, harness_error: String(e.message)}));
        return 2;
    }
    const result = {player: opts.player, url: opts.url, ok: false};
    let browser = null;
    let server = null;
    // The whole run is bounded: start-up, the measured window, and a margin for launch and close.
    const bound = setTimeout(() => {
        result.harness_error = 'time bound hit';
        if (browser && browser.process()) browser.process().kill('SIGKILL');
        console.log(JSON.stringify(result));
        process.exit(3);
    }, (opts.startup + opts.seconds + 30) * 1000);
    try {
        const puppeteer = require('puppeteer-core');
        const args = ['--autoplay-policy=no-user-gesture-required', '--mute-audio', '--disable-gpu',
                      '--disable-dev-shm-usage', '--no-first-run'];
        if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
        // A profile dir of the caller's is removed by the caller even after a kill; puppeteer's own
        // temp profile would stay behind then.
        browser = await puppeteer.launch({executablePath: opts.chromium, headless: true, args, protocolTimeout: 20000,
                                          userDataDir: opts.profile || undefined});
        // Chromium puts itself in a session of its own, out of reach of a caller that kills our
        // process group: the caller kills this pid's group when we could not close it ourselves.
        if (opts.pidfile && browser.process()) fs.writeFileSync(opts.pidfile, String(browser.process().pid));
        result.browser = await browser.version();
        server = await serve(opts.player, opts.url);
        const page = await browser.newPage();
        page.on('pageerror', (e) => (result.page_errors = result.page_errors || []).push(String(e.message || e)));
        await page.goto('http://127.0.0.1:' + server.address().port + '/', {waitUntil: 'load', timeout: 15000});
        result.mse = await page.evaluate((types) => {
            const o = {};
            for (const t of types) o[t] = window.MediaSource ? MediaSource.isTypeSupported(t) : false;
            return o;
        }, PROBE_TYPES);
        if (opts.player === 'probe') {
            result.ok = true;
            return 0;
        }

        // Start-up: until currentTime moves past where it first stood with data (a live player
        // seeks to its start position before it plays), or a fatal error.
        const t0 = Date.now();
        let s = await page.evaluate(sample);
        let firstT = null;
        let moving = false;
        while (!moving && !s.fatal && Date.now() - t0 < opts.startup * 1000) {
            await sleep(200);
            s = await page.evaluate(sample);
            if (s.rs >= 2 && firstT === null) firstT = s.t;
            moving = firstT !== null && s.t > firstT;
        }
        result.startup_s = (Date.now() - t0) / 1000;
        result.started = moving && !s.fatal;

        // The measured window: currentTime sampled every 250 ms.
        const samples = [];
        const w0 = Date.now();
        if (result.started) {
            while (Date.now() - w0 < opts.seconds * 1000) {
                s = await page.evaluate(sample);
                samples.push([(Date.now() - w0) / 1000, s.t, s.decoded]);
                if (s.fatal) break;
                await sleep(250);
            }
        }
        result.wall_s = (Date.now() - w0) / 1000;
        // Measured between the first and the last sample, so the caller compares like with like.
        const first = samples[0] || [0, 0, 0];
        const last = samples[samples.length - 1] || first;
        result.span_s = last[0] - first[0];
        result.played_s = last[1] - first[1];
        result.frames_in_span = last[2] - first[2];
        // The longest wall time currentTime stood still: a stall a viewer sees as a frozen picture.
        let still = 0;
        let since = samples.length ? samples[0][0] : 0;
        for (let i = 1; i < samples.length; i++) {
            if (samples[i][1] > samples[i - 1][1]) since = samples[i][0];
            still = Math.max(still, samples[i][0] - since);
        }
        result.max_stall_s = still;
        result.width = s.w;
        result.height = s.h;
        result.decoded_frames = s.decoded;
        result.dropped_frames = s.dropped;
        result.errors = s.errors;
        result.fatal = s.fatal;
        result.samples = samples;
        // An exception thrown in the page (the player's own code) is as fatal as its error event.
        result.ok = result.started && !s.fatal && !result.page_errors;
        return result.ok ? 0 : 1;
    } catch (e) {
        result.harness_error = String(e && e.message || e);
        return 2;
    } finally {
        clearTimeout(bound);
        if (server) server.close();
        if (browser) {
            await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
            if (browser.process() && browser.process().exitCode === null) browser.process().kill('SIGKILL');
        }
        console.log(JSON.stringify(result));
    }
}

main().then((code) => process.exit(code), (e) => {
    console.log(JSON.stringify({ok: false, harness_error: String(e)}));
    process.exit(2);
});
