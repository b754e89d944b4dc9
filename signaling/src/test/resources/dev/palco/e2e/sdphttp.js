// What the plain WHIP and WHEP pages share: the SDP offer/answer over HTTP that both protocols
// use (RFC 9725 §4.2 for WHIP, the same exchange for WHEP), without trickle ICE: on one machine
// the offer can wait for every candidate. No Palco code.

function log(line) {
  document.getElementById('log').textContent += line + '\n';
}

function gatheringComplete(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
}

/**
 * Offers pc's description to the endpoint and applies the answer; returns the session's URL
 * (the Location header). Throws with the server's answer unless it is 201 with SDP.
 */
async function offerOverHttp(pc, endpoint, token) {
  await pc.setLocalDescription(await pc.createOffer());
  await gatheringComplete(pc);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer ' + token },
    body: pc.localDescription.sdp,
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error('POST answered ' + response.status + ': ' + body);
  if (response.headers.get('Content-Type') !== 'application/sdp') throw new Error('answer is not application/sdp');
  const location = new URL(response.headers.get('Location'), endpoint).href;
  await pc.setRemoteDescription({ type: 'answer', sdp: body });
  return location;
}

/** Ends a session (RFC 9725 §4.3: DELETE on the session URL) and closes pc; returns the status. */
async function endSession(session, token) {
  const response = await fetch(session.location, { method: 'DELETE', headers: { Authorization: 'Bearer ' + token } });
  session.pc.close();
  session.state = 'stopped';
  return response.status;
}
