"""A small RTMP client for integration tests, standard library only: simple handshake,
chunk stream (RTMP spec 5.3), AMF0 commands, publish and play. Enough to drive the server
the way encoders and players do, and to misbehave on purpose (never read, send garbage)."""

import os
import re
import socket
import struct
import time

# Message types (RTMP spec 5.4, 7.1).
SET_CHUNK_SIZE = 1
ABORT = 2
ACK = 3
USER_CONTROL = 4
WINDOW_ACK_SIZE = 5
SET_PEER_BANDWIDTH = 6
AUDIO = 8
VIDEO = 9
AMF0_DATA = 18
AMF0_COMMAND = 20


class RtmpError(Exception):
    pass


# ---- AMF0 (AMF0 spec 2) ----

class Undefined:
    pass


def amf0_encode(v):
    if v is None:
        return b"\x05"
    if isinstance(v, bool):
        return b"\x01" + (b"\x01" if v else b"\x00")
    if isinstance(v, (int, float)):
        return b"\x00" + struct.pack(">d", float(v))
    if isinstance(v, str):
        b = v.encode()
        if len(b) > 0xFFFF:
            return b"\x0c" + struct.pack(">I", len(b)) + b
        return b"\x02" + struct.pack(">H", len(b)) + b
    if isinstance(v, dict):
        out = b"\x03"
        for k, x in v.items():
            kb = k.encode()
            out += struct.pack(">H", len(kb)) + kb + amf0_encode(x)
        return out + b"\x00\x00\x09"
    if isinstance(v, (list, tuple)):
        out = b"\x0a" + struct.pack(">I", len(v))
        for x in v:
            out += amf0_encode(x)
        return out
    raise TypeError("cannot encode %r" % (v,))


def amf0_decode(b, pos=0):
    """Returns (value, next position)."""
    t = b[pos]
    pos += 1
    if t == 0x00:
        return struct.unpack(">d", b[pos:pos + 8])[0], pos + 8
    if t == 0x01:
        return b[pos] != 0, pos + 1
    if t == 0x02:
        n = struct.unpack(">H", b[pos:pos + 2])[0]
        return b[pos + 2:pos + 2 + n].decode(errors="replace"), pos + 2 + n
    if t == 0x0C:
        n = struct.unpack(">I", b[pos:pos + 4])[0]
        return b[pos + 4:pos + 4 + n].decode(errors="replace"), pos + 4 + n
    if t in (0x03, 0x08):
        if t == 0x08:
            pos += 4
        obj = {}
        while True:
            n = struct.unpack(">H", b[pos:pos + 2])[0]
            pos += 2
            if n == 0 and b[pos] == 0x09:
                return obj, pos + 1
            k = b[pos:pos + n].decode(errors="replace")
            pos += n
            obj[k], pos = amf0_decode(b, pos)
    if t == 0x05:
        return None, pos
    if t == 0x06:
        return Undefined(), pos
    if t == 0x0A:
        n = struct.unpack(">I", b[pos:pos + 4])[0]
        pos += 4
        arr = []
        for _ in range(n):
            x, pos = amf0_decode(b, pos)
            arr.append(x)
        return arr, pos
    if t == 0x0B:
        return struct.unpack(">d", b[pos:pos + 8])[0], pos + 10
    raise RtmpError("amf0 type %d not supported" % t)


def amf0_decode_all(b):
    out, pos = [], 0
    while pos < len(b):
        v, pos = amf0_decode(b, pos)
        out.append(v)
    return out


class Message:
    __slots__ = ("type", "timestamp", "stream_id", "payload", "csid")

    def __init__(self, type, timestamp, stream_id, payload, csid=0):
        self.type = type
        self.timestamp = timestamp
        self.stream_id = stream_id
        self.payload = payload
        self.csid = csid

    def command(self):
        """The decoded AMF0 values of a command or data message."""
        return amf0_decode_all(self.payload)

    def is_keyframe(self):
        return self.type == VIDEO and len(self.payload) > 1 and (self.payload[0] >> 4) == 1 and self.payload[1] == 1

    def is_sequence_header(self):
        if self.type == VIDEO:
            return len(self.payload) > 1 and self.payload[0] == 0x17 and self.payload[1] == 0
        if self.type == AUDIO:
            return len(self.payload) > 1 and (self.payload[0] >> 4) == 10 and self.payload[1] == 0
        return False

    def __repr__(self):
        return "Message(type=%d ts=%d sid=%d size=%d)" % (self.type, self.timestamp, self.stream_id, len(self.payload))


class _ChunkStream:
    def __init__(self):
        self.timestamp = 0
        self.delta = 0
        self.length = 0
        self.type = 0
        self.stream_id = 0
        self.ext = False
        self.buf = b""


class RtmpClient:
    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host, self.port = host, port
        self.rbuf = bytearray()
        self.in_chunk_size = 128
        self.out_chunk_size = 128
        self.streams = {}
        self.tid = 1
        self.bytes_read = 0
        self.acked = 0
        self.in_window = 0
        self.stream_id = 0
        self.pending = []

    # ---- bytes ----

    def _fill(self, n):
        while len(self.rbuf) < n:
            b = self.sock.recv(65536)
            if not b:
                raise RtmpError("connection closed by server")
            self.rbuf += b
            self.bytes_read += len(b)

    def _take(self, n):
        self._fill(n)
        out = bytes(self.rbuf[:n])
        del self.rbuf[:n]
        return out

    def send_raw(self, data):
        self.sock.sendall(data)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # ---- handshake (RTMP spec 5.2, the simple form) ----

    def handshake(self):
        c1 = struct.pack(">II", int(time.time()) & 0xFFFFFFFF, 0) + os.urandom(1528)
        self.send_raw(b"\x03" + c1)
        s0 = self._take(1)
        if s0 != b"\x03":
            raise RtmpError("bad S0 %r" % s0)
        s1 = self._take(1536)
        self._take(1536)
        self.send_raw(s1)

    # ---- chunks ----

    def send_message(self, type, payload, stream_id=0, timestamp=0, csid=None):
        if csid is None:
            csid = {AUDIO: 6, VIDEO: 7, AMF0_DATA: 5}.get(type, 3 if type == AMF0_COMMAND else 2)
        ts = min(timestamp, 0xFFFFFF)
        ext = timestamp >= 0xFFFFFF
        out = bytearray()
        out += bytes([csid & 0x3F])
        out += struct.pack(">I", ts)[1:] + struct.pack(">I", len(payload))[1:] + bytes([type])
        out += struct.pack("<I", stream_id)
        if ext:
            out += struct.pack(">I", timestamp & 0xFFFFFFFF)
        pos = 0
        first = True
        while first or pos < len(payload):
            if not first:
                out += bytes([0xC0 | (csid & 0x3F)])
                if ext:
                    out += struct.pack(">I", timestamp & 0xFFFFFFFF)
            first = False
            n = min(self.out_chunk_size, len(payload) - pos)
            out += payload[pos:pos + n]
            pos += n
        self.send_raw(bytes(out))

    def set_chunk_size(self, size):
        self.send_message(SET_CHUNK_SIZE, struct.pack(">I", size))
        self.out_chunk_size = size

    def read_message(self):
        """The next complete message; protocol control is applied on the way."""
        while True:
            b0 = self._take(1)[0]
            fmt = b0 >> 6
            csid = b0 & 0x3F
            if csid == 0:
                csid = 64 + self._take(1)[0]
            elif csid == 1:
                x = self._take(2)
                csid = 64 + x[0] + x[1] * 256
            cs = self.streams.setdefault(csid, _ChunkStream())
            if fmt <= 2:
                h = self._take(3)
                tsf = (h[0] << 16) | (h[1] << 8) | h[2]
                if fmt <= 1:
                    h = self._take(4)
                    cs.length = (h[0] << 16) | (h[1] << 8) | h[2]
                    cs.type = h[3]
                if fmt == 0:
                    cs.stream_id = struct.unpack("<I", self._take(4))[0]
                cs.ext = tsf == 0xFFFFFF
                if cs.ext:
                    tsf = struct.unpack(">I", self._take(4))[0]
                if fmt == 0:
                    cs.timestamp = tsf
                    cs.delta = 0
                else:
                    cs.delta = tsf
                    if not cs.buf:
                        cs.timestamp += tsf
            else:
                if cs.ext:
                    self._take(4)
                if not cs.buf:
                    cs.timestamp += cs.delta
            n = min(self.in_chunk_size, cs.length - len(cs.buf))
            cs.buf += self._take(n)
            if len(cs.buf) < cs.length:
                continue
            msg = Message(cs.type, cs.timestamp, cs.stream_id, cs.buf, csid)
            cs.buf = b""
            self._on_message(msg)
            return msg

    def _on_message(self, msg):
        if msg.type == SET_CHUNK_SIZE:
            self.in_chunk_size = struct.unpack(">I", msg.payload[:4])[0] & 0x7FFFFFFF
        elif msg.type == WINDOW_ACK_SIZE:
            self.in_window = struct.unpack(">I", msg.payload[:4])[0]
        elif msg.type == USER_CONTROL and len(msg.payload) >= 6:
            event = struct.unpack(">H", msg.payload[:2])[0]
            if event == 6:
                self.send_message(USER_CONTROL, struct.pack(">H", 7) + msg.payload[2:6])
        if self.in_window and self.bytes_read - self.acked >= self.in_window // 2:
            self.acked = self.bytes_read
            self.send_message(ACK, struct.pack(">I", self.bytes_read & 0xFFFFFFFF))

    # ---- commands ----

    def call(self, name, *args, stream_id=0, csid=None):
        tid = self.tid
        self.tid += 1
        self.send_message(AMF0_COMMAND, b"".join(amf0_encode(x) for x in (name, tid) + args), stream_id,
                          csid=csid)
        return tid

    def wait_result(self, tid, timeout=10.0):
        """Reads until the _result/_error of tid; other messages are kept in pending."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.read_message()
            if msg.type == AMF0_COMMAND:
                v = msg.command()
                if len(v) >= 2 and v[0] in ("_result", "_error") and v[1] == tid:
                    return v
            self.pending.append(msg)
        raise RtmpError("no answer to transaction %d" % tid)

    def wait_status(self, codes, timeout=10.0):
        """Reads until an onStatus whose code is in codes; returns the info object."""
        deadline = time.time() + timeout
        for i, msg in enumerate(self.pending):
            info = status_of(msg)
            if info and info.get("code") in codes:
                del self.pending[i]
                return info
        while time.time() < deadline:
            msg = self.read_message()
            info = status_of(msg)
            if info and info.get("code") in codes:
                return info
            if info and info.get("level") == "error":
                raise RtmpError("status %s: %s" % (info.get("code"), info.get("description")))
            self.pending.append(msg)
        raise RtmpError("no status in %s" % (codes,))

    def connect(self, app, tc_url=None, extra=None):
        tc_url = tc_url or "rtmp://%s:%d/%s" % (self.host, self.port, app)
        obj = {"app": app, "flashVer": "FMLE/3.0 (compatible; pyclient)", "tcUrl": tc_url, "fpad": False,
               "capabilities": 239.0, "audioCodecs": 3575.0, "videoCodecs": 252.0, "videoFunction": 1.0,
               "objectEncoding": 0.0}
        obj.update(extra or {})
        tid = self.call("connect", obj, csid=3)
        v = self.wait_result(tid)
        if v[0] != "_result":
            raise RtmpError("connect rejected: %r" % (v[3] if len(v) > 3 else v,))
        return v

    def create_stream(self):
        v = self.wait_result(self.call("createStream", None))
        if v[0] != "_result":
            raise RtmpError("createStream failed %r" % (v,))
        self.stream_id = int(v[3])
        return self.stream_id

    def play(self, stream, start=-2.0):
        self.create_stream()
        self.send_message(USER_CONTROL, struct.pack(">HII", 3, self.stream_id, 3000))
        self.call("play", None, stream, start, stream_id=self.stream_id, csid=8)
        return self.wait_status(("NetStream.Play.Start",))

    def publish(self, stream):
        self.call("releaseStream", None, stream)
        self.call("FCPublish", None, stream)
        self.create_stream()
        self.call("publish", None, stream, "live", stream_id=self.stream_id, csid=8)
        return self.wait_status(("NetStream.Publish.Start",))

    def unpublish(self, stream):
        self.call("FCUnpublish", None, stream)
        self.call("deleteStream", None, float(self.stream_id))

    def send_media(self, type, payload, timestamp):
        self.send_message(type, payload, self.stream_id, timestamp)


def status_of(msg):
    """The info object of an onStatus command, else None."""
    if msg.type != AMF0_COMMAND:
        return None
    try:
        v = msg.command()
    except Exception:
        return None
    if len(v) >= 4 and v[0] == "onStatus" and isinstance(v[3], dict):
        return v[3]
    return None


# ---- FLV files, to publish real media with exact bytes ----

def read_flv_tags(path):
    """(type, timestamp, payload) of every tag in an FLV file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"FLV":
        raise RtmpError("not an FLV file")
    pos = struct.unpack(">I", data[5:9])[0] + 4
    tags = []
    while pos + 11 <= len(data):
        t = data[pos]
        size = (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3]
        ts = (data[pos + 4] << 16) | (data[pos + 5] << 8) | data[pos + 6] | (data[pos + 7] << 24)
        payload = data[pos + 11:pos + 11 + size]
        if len(payload) < size:
            break
        tags.append((t, ts, payload))
        pos += 11 + size + 4
    return tags


def metadata_payload(tag_payload):
    """An FLV onMetaData tag as the @setDataFrame data message encoders send."""
    return amf0_encode("@setDataFrame") + tag_payload


def rtmp_status(port, tc_url, stream, play, app="live"):
    """Connects to tc_url, then plays or publishes stream with a fresh client: the code of the
    answer (NetStream.Publish.Start, NetStream.Play.Rejected...), or what ended the attempt."""
    c = RtmpClient("127.0.0.1", port, timeout=5)
    try:
        c.handshake()
        c.connect(app, tc_url)
        try:
            info = c.play(stream) if play else c.publish(stream)
            return info.get("code")
        except (RtmpError, OSError) as e:
            for m in c.pending:
                s = status_of(m)
                if s and s.get("level") == "error":
                    return s.get("code")
            m = re.match(r"status (\S+):", str(e))
            return m.group(1) if m else str(e)
    finally:
        c.close()
