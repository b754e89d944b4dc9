import http.server, sys, os, subprocess
class H(http.server.SimpleHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers['Content-Length']); body = self.rfile.read(n)
        name = self.path.strip('/').replace('/', '_')
        if name == 'answer' and os.environ.get('ANSWER_CMD'):
            r = subprocess.run(os.environ['ANSWER_CMD'], shell=True, input=body, capture_output=True)
            out = r.stdout if r.returncode == 0 else b'ERROR ' + r.stderr
            open('/tmp/cap/answer_log.txt','ab').write(b'---\n' + out)
            self.send_response(200); self.end_headers(); self.wfile.write(out); return
        open('/tmp/cap/' + name, 'wb').write(body)
        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')
    def log_message(self, *a): pass
os.chdir('/tmp/cap')
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
