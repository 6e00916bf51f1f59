/** The report's inline stylesheet (system fonts only, so the file needs nothing external). */
export const REPORT_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.fig text.t{font:600 13px system-ui,sans-serif}.fig text.s{font:11px system-ui,sans-serif;fill:#444}.fig text.n{font:10px system-ui,sans-serif;fill:#111}
.fig line.g{stroke:#e4e4e4}
svg text.v{font:9px system-ui,sans-serif;fill:#333}
.faces{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}
.face{margin:0;border:1px solid #e2e2e2;border-radius:6px;padding:6px;font-size:11px}
.face img{image-rendering:pixelated;display:block;margin-bottom:4px}
.note{color:#555;font-style:italic}.warn{color:#a00;font-weight:600}
code{background:#f4f4f4;padding:1px 4px}
`;
