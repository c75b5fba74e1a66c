import Foundation
import Support

/// A report opened in a real browser (headless Chromium from Debian) at a given window width, with
/// what the page itself says about its layout: every image's `naturalWidth`, the document's
/// `scrollWidth` against its `clientWidth`, each figure's box against the viewport, and every
/// element that sticks out of the viewport or hides or scrolls content wider than itself (a table
/// in a sideways-scrolling box leaves the page's own `scrollWidth` alone, yet its right-hand
/// columns are cut off on a phone).
///
/// The bundle is copied and a checking script appended to the copy's `index.html` (the report
/// itself carries no scripts). The page is opened inside an iframe exactly `width` CSS pixels wide
/// (headless Chromium will not make a window narrower than 500 pixels, and a phone is 390), the
/// script posts its findings to the frame's parent, and `--dump-dom` prints the parent with them in
/// a `<pre id="coverlens-check">`. Lazy images are switched to eager first, so images below the
/// fold are loaded and checked too.
struct BrowserCheck {
    struct Findings: Decodable {
        var viewport: Double
        var scrollWidth: Double
        var images: Int
        /// `src` of images that did not load (naturalWidth 0).
        var broken: [String]
        /// Images sticking out of the viewport, with their left and right edges.
        var wide: [String]
        /// Outermost elements that stick out of the viewport, or clip or scroll content wider than
        /// themselves: tag, classes, the start of their text, and the numbers.
        var overflowing: [String]
    }

    static let script = """
        <script>
        for (const img of document.images) img.loading = 'eager';
        window.addEventListener('load', () => {
          const vw = document.documentElement.clientWidth;
          const out = { viewport: vw, scrollWidth: document.documentElement.scrollWidth, images: 0, broken: [], wide: [], overflowing: [] };
          for (const img of document.images) {
            out.images++;
            if (!img.complete || img.naturalWidth === 0) out.broken.push(img.getAttribute('src'));
            const r = img.getBoundingClientRect();
            if (r.right > vw + 0.5 || r.left < -0.5) out.wide.push(img.getAttribute('src') + ' ' + Math.round(r.left) + '…' + Math.round(r.right));
          }
          const name = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '') +
            ' "' + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
          const found = [];
          for (const el of document.body.querySelectorAll('*')) {
            if (found.some(f => f.contains(el))) continue;
            const style = getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden') continue;
            const r = el.getBoundingClientRect();
            let problem = null;
            if (r.width > 1 && r.height > 1 && (r.right > vw + 0.5 || r.left < -0.5))
              problem = 'spans ' + Math.round(r.left) + '…' + Math.round(r.right);
            // A visually hidden box (1 px, clipped) is not a problem; a real one clipping content is.
            else if (el.clientWidth > 2 && el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible')
              problem = 'holds ' + el.scrollWidth + ' px of content in ' + el.clientWidth;
            if (problem) { found.push(el); out.overflowing.push(name(el) + ' ' + problem); }
          }
          parent.postMessage(JSON.stringify(out), '*');
        });
        </script>
        """

    /// The frame around the page, `width` wide, collecting the page's message.
    static func frame(width: Int) -> String {
        """
        <!DOCTYPE html><html><body style="margin:0">
        <iframe src="index.html" style="border:0;width:\(width)px;height:900px"></iframe>
        <script>
        window.addEventListener('message', e => {
          const pre = document.createElement('pre');
          pre.id = 'coverlens-check';
          pre.textContent = e.data;
          document.body.appendChild(pre);
        });
        </script>
        </body></html>
        """
    }

    /// Chromium's path, or nil when it is not installed.
    static var browser: String? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Opens a copy of `bundle`'s index.html at `width` CSS pixels and returns what the page found.
    static func open(_ bundle: URL, width: Int) throws -> Findings {
        guard let browser else { throw Failure(description: "Chromium is not installed (scripts/setup.sh installs it)") }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("coverlens-browser-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: bundle, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let page = copy.appendingPathComponent("index.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        guard let end = html.range(of: "</body>", options: .backwards) else { throw Failure(description: "index.html has no </body>") }
        try (html[..<end.lowerBound] + script + html[end.lowerBound...]).write(to: page, atomically: true, encoding: .utf8)
        let framed = copy.appendingPathComponent("coverlens-frame.html")
        try frame(width: width).write(to: framed, atomically: true, encoding: .utf8)

        // As root Chromium needs --no-sandbox; a private profile keeps runs apart.
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(copy.appendingPathComponent(".profile").path)",
                             "--window-size=\(max(width, 500) + 100),1000", "--virtual-time-budget=20000", "--dump-dom",
                             framed.absoluteString]
        // The DOM goes to a file, so no pipe can fill up and stall the browser.
        let (ended, printed) = try ChildProcess.output(of: browser, arguments)
        let dom = String(decoding: printed, as: UTF8.self)
        guard let start = dom.range(of: "<pre id=\"coverlens-check\">"),
              let stop = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw Failure(description: "Chromium (\(ended)) printed no findings at \(width) px: \(dom.prefix(300))")
        }
        let json = dom[start.upperBound..<stop.lowerBound].replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Findings.self, from: Data(json.utf8))
    }
}
