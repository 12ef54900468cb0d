import WorkforceReport

/// The workbench's one page: self-contained HTML with plain JavaScript (no CDN, no packages),
/// the report's own styles (`Panel.css`) for the aims table and the chart. It asks the API
/// (docs/workbench.md) and shows what it answers; it computes nothing itself but the slider
/// labels.
enum WorkbenchPage {
    static let html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:">
        <title>Workforce: what-if workbench</title>
        <style>
        \(Panel.css)
        body { max-width: 1280px; padding: 12px 20px; }
        header { display: flex; align-items: baseline; gap: 1em; flex-wrap: wrap; border-bottom: 1px solid #bbb; margin-bottom: 10px; }
        header h1 { font-size: 1.35em; margin: 0 0 .3em; }
        .layout { display: grid; grid-template-columns: 330px minmax(0, 1fr); gap: 22px; }
        aside h2, main h2 { font-size: 1.05em; margin: .9em 0 .4em; }
        .lever { margin: 0 0 .8em; }
        .lever label { display: block; font-size: .9em; }
        .lever .value { font-weight: bold; font-variant-numeric: tabular-nums; }
        .lever .now { color: #555; font-size: .8em; }
        .lever input[type=range] { width: 100%; }
        .box { border: 1px solid #ccc; border-radius: 4px; padding: 8px 10px; margin: 0 0 12px; background: #fafafa; }
        .box select, .box input[type=text] { width: 100%; box-sizing: border-box; margin: 2px 0 6px; }
        button { font: inherit; padding: 3px 10px; margin: 2px 4px 2px 0; }
        #state { font-size: .9em; color: #333; min-height: 1.4em; }
        #state .busy { color: #8a5a00; }
        #state .settled { color: #1d6b48; font-weight: bold; }
        #error { display: none; border: 1px solid #b3261e; background: #fdecea; color: #7a1712; padding: 6px 10px; margin: 6px 0; border-radius: 4px; }
        #takes, #saved { font-size: .9em; }
        #chart svg { width: 100%; height: auto; max-width: 860px; }
        .muted { color: #666; font-size: .85em; }
        main .summary table { font-size: .85em; }
        </style>
        </head>
        <body>
        <header>
        <h1>Workforce: what if…?</h1>
        <label>Scenario <select id="scenario"></select></label>
        <span class="muted" id="folder"></span>
        </header>
        <div id="error" role="alert"></div>
        <div class="layout">
        <aside>
        <h2>Levers</h2>
        <div id="levers"><p class="muted">Loading…</p></div>
        <button id="reset" type="button">Back to the scenario as written</button>
        <h2>What would it take?</h2>
        <div class="box">
        <label>Lever <select id="take-lever"></select></label>
        <label>Aim <select id="take-aim"></select></label>
        <label>With a chance of at least <select id="take-chance"><option value="0.5">50%</option><option value="0.67">67%</option><option value="0.8" selected>80%</option><option value="0.9">90%</option></select></label>
        <button id="take" type="button">What would it take?</button>
        <p id="takes"></p>
        </div>
        <h2>Keep this variant</h2>
        <div class="box">
        <label>New scenario file in the folder <input type="text" id="save-name" placeholder="my-variant.yaml"></label>
        <button id="save" type="button">Save as scenario</button>
        <p id="saved"></p>
        <button id="summary" type="button">Download board summary</button>
        <button id="report" type="button">Download full report</button>
        </div>
        </aside>
        <main>
        <div id="state"></div>
        <label>Measure <select id="measure"></select></label>
        <div id="chart"></div>
        <div id="aims"></div>
        </main>
        </div>
        <script>
        'use strict';
        const $ = (id) => document.getElementById(id);
        const session = Array.from(crypto.getRandomValues(new Uint8Array(12)), b => b.toString(16).padStart(2, '0')).join('');
        let info = null;          // GET /api/levers
        let values = {};          // lever name -> value
        let inFlight = null;      // AbortController of the question in flight
        let lastReplications = 0; // of the answer shown
        let timer = null;
        let questions = 0;        // questions asked (data-question on #state, for tests)

        function showError(text) { const e = $('error'); e.textContent = text; e.style.display = text ? 'block' : 'none'; }

        async function api(path, body, signal) {
          const init = body === undefined ? { signal } : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal };
          const response = await fetch(path, init);
          if (!response.ok) {
            let text = response.status + ' ' + response.statusText;
            try { text = (await response.json()).error; } catch (e) {}
            throw new Error(text);
          }
          return response;
        }

        // A lever's value in its unit: share as %, multiplier as ×, count as officers.
        function shown(lever, v) {
          const digits = (step) => Math.max(0, Math.min(4, Math.ceil(-Math.log10(step))));
          switch (lever.unit) {
            case 'share': return (v * 100).toFixed(digits(lever.step * 100)) + '%';
            case 'multiplier': return v.toFixed(digits(lever.step)) + '×';
            case 'count': return Math.round(v).toLocaleString('en-GB') + ' officers';
            default: return v.toFixed(digits(lever.step)) + (lever.unit ? ' ' + lever.unit : '');
          }
        }

        function settings() {
          return info.levers.filter(l => Math.abs(values[l.name] - l.current) > 1e-12).map(l => ({ lever: l.name, value: values[l.name] }));
        }

        function question(extra) {
          return Object.assign({ scenario: $('scenario').value, settings: settings(), measure: $('measure').value || undefined, session }, extra || {});
        }

        function render(answer) {
          $('aims').innerHTML = answer.aims;
          $('chart').innerHTML = answer.chart || '<p class="muted">No measure to chart.</p>';
          lastReplications = answer.replications;
          const state = $('state');
          if (answer.mode === 'expected') {
            state.innerHTML = '<span class="busy">Expected-value projection (' + answer.seconds.toFixed(2) + ' s); Monte Carlo replications running…</span>';
          } else {
            const what = answer.replications.toLocaleString('en-GB') + ' of at most ' + answer.cap.toLocaleString('en-GB') + ' replications, seed ' + answer.seed;
            state.innerHTML = answer.done
              ? '<span class="settled">' + (answer.settled ? 'Settled' : 'Done (the cap)') + '</span>: ' + what + ', ' + answer.seconds.toFixed(1) + ' s.'
              : '<span class="busy">Monte Carlo: ' + what + '…</span>';
          }
          state.dataset.replications = answer.replications;
          state.dataset.done = answer.done && answer.mode !== 'expected' ? 'yes' : 'no';
          state.dataset.mode = answer.mode;
        }

        async function ask() {
          if (!info) return;
          if (inFlight) inFlight.abort();
          const controller = new AbortController();
          inFlight = controller;
          showError('');
          $('state').dataset.done = 'no';
          $('state').dataset.question = ++questions;
          try {
            render(await (await api('/api/expected', question(), controller.signal)).json());
            const response = await api('/api/run', question(), controller.signal);
            const reader = response.body.getReader();
            const decoder = new TextDecoder();
            let buffer = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += decoder.decode(value, { stream: true });
              let end;
              while ((end = buffer.indexOf('\\n\\n')) >= 0) {
                const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
                const name = (block.match(/^event: (.*)$/m) || [])[1];
                const data = (block.match(/^data: (.*)$/m) || [])[1];
                if (!data) continue;
                const payload = JSON.parse(data);
                if (name === 'problem') showError(payload.error); else render(payload);
              }
            }
          } catch (e) {
            if (e.name !== 'AbortError') showError(e.message);
          } finally {
            if (inFlight === controller) inFlight = null;
          }
        }

        function later() { clearTimeout(timer); timer = setTimeout(ask, 150); }

        function levers() {
          const box = $('levers');
          box.innerHTML = '';
          if (info.levers.length === 0) box.innerHTML = '<p class="muted">This scenario names no levers (a <code>levers:</code> section, docs/scenario-format.md).</p>';
          info.levers.forEach((lever, i) => {
            const div = document.createElement('div');
            div.className = 'lever';
            const id = 'lever-' + i;
            div.innerHTML = '<label for="' + id + '"></label><input type="range" id="' + id + '"><div><span class="value"></span> <span class="now"></span></div>';
            div.querySelector('label').textContent = lever.label;
            const input = div.querySelector('input');
            Object.assign(input, { min: lever.min, max: lever.max, step: lever.step, value: values[lever.name] });
            input.dataset.lever = lever.name;
            const value = div.querySelector('.value');
            value.textContent = shown(lever, values[lever.name]);
            div.querySelector('.now').textContent = '(as written: ' + shown(lever, lever.current) + (lever.costPerUnit != null ? '; cost ' + lever.costPerUnit.toLocaleString('en-GB') + ' a unit' : '') + ')';
            input.addEventListener('input', () => { values[lever.name] = Number(input.value); value.textContent = shown(lever, values[lever.name]); later(); });
            box.appendChild(div);
          });
          $('take-lever').innerHTML = '';
          info.levers.forEach(l => $('take-lever').add(new Option(l.label, l.name)));
          $('take-aim').innerHTML = '';
          info.aims.forEach(a => $('take-aim').add(new Option(a, a)));
          $('measure').innerHTML = '';
          info.measures.forEach(m => $('measure').add(new Option(m.title, m.id)));
        }

        async function choose() {
          if (inFlight) inFlight.abort();
          showError('');
          try {
            info = await (await api('/api/levers?scenario=' + encodeURIComponent($('scenario').value))).json();
            values = {};
            info.levers.forEach(l => values[l.name] = l.current);
            levers();
            $('takes').textContent = ''; $('saved').textContent = '';
            ask();
          } catch (e) { showError(e.message); }
        }

        async function start() {
          try {
            const list = await (await api('/api/scenarios')).json();
            $('folder').textContent = 'from ' + list.folder;
            list.scenarios.forEach(s => $('scenario').add(new Option(s.name ? s.name + ' (' + s.file + ')' : s.file + ' (does not load)', s.file)));
            const wanted = new URLSearchParams(location.search).get('scenario');
            if (wanted) $('scenario').value = wanted;
            await choose();
          } catch (e) { showError(e.message); }
        }

        $('scenario').addEventListener('change', choose);
        $('measure').addEventListener('change', ask);
        $('reset').addEventListener('click', () => { info.levers.forEach(l => values[l.name] = l.current); levers(); ask(); });

        $('take').addEventListener('click', async () => {
          const lever = info.levers.find(l => l.name === $('take-lever').value);
          if (!lever) { showError('take-lever: this scenario has no levers; expected a scenario with a levers section'); return; }
          $('takes').textContent = 'Searching ' + shown(lever, lever.min) + ' to ' + shown(lever, lever.max) + '…';
          try {
            const body = { scenario: $('scenario').value, settings: settings().filter(s => s.lever !== lever.name), lever: lever.name,
                           aim: $('take-aim').value, probability: Number($('take-chance').value), session: session + '-solve' };
            const answer = await (await api('/api/solve', body)).json();
            const value = answer.value != null ? ' Answer: ' + shown(lever, answer.value) + '.' : '';
            $('takes').textContent = answer.words.charAt(0).toUpperCase() + answer.words.slice(1) + value
              + ' (' + answer.evaluations + ' trial values, ' + answer.replicationsUsed.toLocaleString('en-GB') + ' replications, ' + answer.seconds.toFixed(1) + ' s)';
            $('takes').dataset.value = answer.value != null ? answer.value : '';
          } catch (e) { $('takes').textContent = ''; showError(e.message); }
        });

        $('save').addEventListener('click', async () => {
          try {
            const saved = await (await api('/api/save', { scenario: $('scenario').value, settings: settings(), name: $('save-name').value.trim() })).json();
            $('saved').textContent = 'Saved ' + saved.file + '. Run it: ' + saved.command + (lastReplications > 1 ? ' --replications ' + lastReplications : ' --expected');
            const keep = $('scenario').value;
            $('scenario').add(new Option(saved.file, saved.file));
            $('scenario').value = keep;
          } catch (e) { $('saved').textContent = ''; showError(e.message); }
        });

        async function download(file) {
          try {
            const n = lastReplications > 1 ? lastReplications : undefined;
            const response = await api('/api/report?file=' + file, { scenario: $('scenario').value, settings: settings(), replications: n });
            const blob = await response.blob();
            const a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = $('scenario').value.replace(/\\.[^.]*$/, '') + '-' + file;
            document.body.appendChild(a); a.click(); a.remove();
          } catch (e) { showError(e.message); }
        }
        $('summary').addEventListener('click', () => download('summary.html'));
        $('report').addEventListener('click', () => download('report.html'));
        start();
        </script>
        </body>
        </html>

        """
}
