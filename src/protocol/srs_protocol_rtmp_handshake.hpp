// The RTMP handshake (RTMP spec 5.2): the simple handshake of the spec, and the complex
// (digest) handshake Flash Player and FMS use, which many clients expect from a server.
//
// Complex handshake layout (not in the spec; as documented by the community and done by
// Flash, FMS, ffmpeg, librtmp, nginx-rtmp and SRS): C1/S1 is time(4) version(4) and two
// 764-byte blocks, a key block and a digest block, in either order:
//   schema 0: time, version, key block, digest block  (digest block at byte 772)
//   schema 1: time, version, digest block, key block  (digest block at byte 8)
// A digest block is offset(4) random(offset) digest(32) random(764-4-offset-32), where
// offset is the sum of the 4 offset bytes modulo 728. The digest is HMAC-SHA256 of the
// other 1504 bytes of C1/S1, keyed with the first 30 bytes of the Flash Player key (C1)
// or the first 36 bytes of the Flash Media Server key (S1). C2/S2 is random(1504) then a
// 32-byte signature: HMAC-SHA256 of those 1504 bytes, keyed with HMAC-SHA256(peer's C1/S1
// digest) under the full 62-byte player key (C2) or 68-byte server key (S2).
#pragma once

#include <srs_core_error.hpp>
#include <srs_core_io.hpp>

#define SRS_RTMP_HS_SIZE 1536
#define SRS_RTMP_HS_DIGEST_SIZE 32
// The RTMP version in C0/S0; 6 (and 8/9) are RTMPE, the encrypted variant.
#define SRS_RTMP_VERSION 3

// The two layouts of a complex C1/S1.
enum SrsRtmpHsSchema {
    SrsRtmpHsSchemaNone = -1,
    // Key block first, then digest block.
    SrsRtmpHsSchema0 = 0,
    // Digest block first, then key block.
    SrsRtmpHsSchema1 = 1,
};

// Performs the handshake on a fresh connection; every read honours the io's recv timeout
// set by the caller. Errors (bad version, RTMPE, short read, timeout) concern this
// connection only.
class SrsRtmpHandshake {
public:
    // Reads C0C1, answers S0S1S2 and reads C2. Uses the complex handshake when C1 carries a
    // valid digest in either schema, else the simple one. complex_used tells which.
    static srs_error_t server(ISrsProtocolReadWriter* io, bool* complex_used = nullptr);
    // Sends C0C1, reads S0S1S2 and sends C2. With complex, C1 is signed like Flash
    // Player's (schema 1) and C2 answers a signed S1; a server that answers simply is
    // still accepted.
    static srs_error_t client(ISrsProtocolReadWriter* io, bool complex = false);
};

// The pure steps of the complex handshake, exposed for tests and fuzzing.

// The byte offset of the 32-byte digest inside a C1/S1 for the schema.
int srs_rtmp_hs_digest_offset(const uint8_t* c1s1, SrsRtmpHsSchema schema);
// HMAC-SHA256 of a C1/S1 without its digest bytes; server selects the FMS key (36 bytes),
// else the Flash Player key (30 bytes).
srs_error_t srs_rtmp_hs_c1s1_digest(const uint8_t* c1s1, SrsRtmpHsSchema schema, bool server, uint8_t* digest);
// Whether the C1/S1 carries a valid digest in the schema.
bool srs_rtmp_hs_c1s1_valid(const uint8_t* c1s1, SrsRtmpHsSchema schema, bool server);
// The schema whose digest validates (schema 0 tried first), or SrsRtmpHsSchemaNone.
SrsRtmpHsSchema srs_rtmp_hs_c1s1_find_schema(const uint8_t* c1s1, bool server);
// Fills a C1 (server false) or S1 (server true): time, version, random bytes and the
// digest for the schema.
srs_error_t srs_rtmp_hs_c1s1_build(uint8_t* c1s1, SrsRtmpHsSchema schema, bool server, uint32_t time, uint32_t version);
// The 32-byte signature of a C2 (server false) or S2 (server true) made in answer to the
// peer's C1/S1 digest.
srs_error_t srs_rtmp_hs_c2s2_signature(const uint8_t* c2s2, const uint8_t* peer_digest, bool server,
                                       uint8_t* signature);
// Fills a C2/S2 with random bytes and the signature answering the peer's digest.
srs_error_t srs_rtmp_hs_c2s2_build(uint8_t* c2s2, const uint8_t* peer_digest, bool server);
// Whether a C2/S2 carries the signature answering our digest.
bool srs_rtmp_hs_c2s2_valid(const uint8_t* c2s2, const uint8_t* our_digest, bool server);
// A simple C1/S1: time, zero, random (RTMP spec 5.2.3).
srs_error_t srs_rtmp_hs_simple_c1s1(uint8_t* c1s1, uint32_t time);
