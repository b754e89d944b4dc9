# Loopback-only server for the capture and interop pages: serves this folder, stores POST /<name>
# bodies under OUT_DIR, and runs the interop tool for POST /cmd/<command>[?arg].
import http.server, os, subprocess, sys, urllib.parse

OUT_DIR = os.environ.get('OUT_DIR', '/tmp/cap')
TOOL = os.environ.get('TOOL_CMD')  # e.g. "java -cp classes:test-classes dev.palco.sfu.sdp.ChromiumInteropTool"

class Handler(http.server.SimpleHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        url = urllib.parse.urlparse(self.path)
        if url.path.startswith('/cmd/') and TOOL:
            cmd = TOOL.split() + [url.path[5:], os.path.join(OUT_DIR, 'state')]
            if url.query:
                cmd.append(url.query)
            r = subprocess.run(cmd, input=body, capture_output=True)
            out = r.stdout if r.returncode == 0 else b'ERROR ' + r.stderr
            with open(os.path.join(OUT_DIR, 'interop-log.txt'), 'ab') as log:
                log.write(b'--- ' + url.path.encode() + b' ' + url.query.encode() + b'\n' + body + b'\n>>>\n' + out + b'\n')
            self.send_response(200 if r.returncode == 0 else 500)
            self.end_headers()
            self.wfile.write(out)
            return
        with open(os.path.join(OUT_DIR, url.path.strip('/').replace('/', '_')), 'wb') as f:
            f.write(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'ok')

    def log_message(self, *args):
        pass

os.chdir(os.path.dirname(os.path.abspath(__file__)))
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
