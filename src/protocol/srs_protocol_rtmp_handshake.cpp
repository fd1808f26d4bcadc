#include <srs_protocol_rtmp_handshake.hpp>

#include <srs_core_log.hpp>
#include <srs_core_time.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstring>

namespace {

// "Genuine Adobe Flash Player 001" followed by 32 constant bytes: the first 30 bytes sign
// C1, all 62 derive the C2 signature key.
const uint8_t kFlashPlayerKey[] = {
    'G',  'e',  'n',  'u',  'i',  'n',  'e',  ' ',  'A',  'd',  'o',  'b',  'e',  ' ',  'F',  'l',
    'a',  's',  'h',  ' ',  'P',  'l',  'a',  'y',  'e',  'r',  ' ',  '0',  '0',  '1',  0xF0, 0xEE,
    0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57, 0x6E, 0xEC,
    0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
};
const int kFlashPlayerKeyPartial = 30;

// "Genuine Adobe Flash Media Server 001" followed by the same 32 bytes: the first 36 bytes
// sign S1, all 68 derive the S2 signature key.
const uint8_t kFlashMediaServerKey[] = {
    'G',  'e',  'n',  'u',  'i',  'n',  'e',  ' ',  'A',  'd',  'o',  'b',  'e',  ' ',  'F',  'l',  'a',
    's',  'h',  ' ',  'M',  'e',  'd',  'i',  'a',  ' ',  'S',  'e',  'r',  'v',  'e',  'r',  ' ',  '0',
    '0',  '1',  0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E,
    0x57, 0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
};
const int kFlashMediaServerKeyPartial = 36;

static_assert(sizeof(kFlashPlayerKey) == 62, "Flash Player key is 62 bytes");
static_assert(sizeof(kFlashMediaServerKey) == 68, "FMS key is 68 bytes");

// The bytes of C1/S1 before the two 764-byte blocks: time and version.
const int kTimeVersionSize = 8;
const int kBlockSize = 764;
// The digest offset is taken modulo this, so the digest fits its block after the 4 offset bytes.
const int kDigestOffsetModulo = kBlockSize - 4 - SRS_RTMP_HS_DIGEST_SIZE;
// The signed part of C2/S2: everything but the trailing signature.
const int kC2S2SignedSize = SRS_RTMP_HS_SIZE - SRS_RTMP_HS_DIGEST_SIZE;

// The versions we put in C1/S1: Flash Player 128.0.7.2 like Flash-era clients, and FMS 4.5.0.1.
// A server version >= 3 in its first byte makes ffmpeg verify our S1 digest and S2 signature.
const uint32_t kClientVersion = 0x80000702;
const uint32_t kServerVersion = 0x04050001;

srs_error_t srs_hmac_sha256(const uint8_t* key, int key_size, const uint8_t* data, size_t size, uint8_t* out) {
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key, key_size, data, size, out, &len)) {
        return srs_error_new(ERROR_OpenSslSha256EvpDigest, "hmac-sha256 of %d bytes", (int)size);
    }
    if (len != SRS_RTMP_HS_DIGEST_SIZE) {
        return srs_error_new(ERROR_OpenSslSha256DigestSize, "hmac-sha256 gave %u bytes", len);
    }
    return srs_success;
}

srs_error_t srs_random_bytes(uint8_t* p, int size) {
    if (RAND_bytes(p, size) != 1) {
        return srs_error_new(ERROR_RTMP_HANDSHAKE, "random %d bytes", size);
    }
    return srs_success;
}

void srs_put_be32(uint8_t* p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

uint32_t srs_hs_now_ms() {
    return (uint32_t)srsu2ms(srs_update_system_time());
}

}  // namespace

int srs_rtmp_hs_digest_offset(const uint8_t* c1s1, SrsRtmpHsSchema schema) {
    // The digest block follows the key block in schema 0 and leads in schema 1.
    int block = (schema == SrsRtmpHsSchema0) ? kTimeVersionSize + kBlockSize : kTimeVersionSize;
    const uint8_t* p = c1s1 + block;
    int offset = ((int)p[0] + p[1] + p[2] + p[3]) % kDigestOffsetModulo;
    return block + 4 + offset;
}

srs_error_t srs_rtmp_hs_c1s1_digest(const uint8_t* c1s1, SrsRtmpHsSchema schema, bool server, uint8_t* digest) {
    int pos = srs_rtmp_hs_digest_offset(c1s1, schema);
    uint8_t joined[SRS_RTMP_HS_SIZE - SRS_RTMP_HS_DIGEST_SIZE];
    memcpy(joined, c1s1, pos);
    memcpy(joined + pos, c1s1 + pos + SRS_RTMP_HS_DIGEST_SIZE, SRS_RTMP_HS_SIZE - pos - SRS_RTMP_HS_DIGEST_SIZE);
    const uint8_t* key = server ? kFlashMediaServerKey : kFlashPlayerKey;
    int key_size = server ? kFlashMediaServerKeyPartial : kFlashPlayerKeyPartial;
    return srs_hmac_sha256(key, key_size, joined, sizeof(joined), digest);
}

bool srs_rtmp_hs_c1s1_valid(const uint8_t* c1s1, SrsRtmpHsSchema schema, bool server) {
    uint8_t digest[SRS_RTMP_HS_DIGEST_SIZE];
    srs_error_t err = srs_rtmp_hs_c1s1_digest(c1s1, schema, server, digest);
    if (err) {
        srs_warn("handshake: digest failed: %s", srs_error_summary(err).c_str());
        return false;
    }
    int pos = srs_rtmp_hs_digest_offset(c1s1, schema);
    return memcmp(digest, c1s1 + pos, SRS_RTMP_HS_DIGEST_SIZE) == 0;
}

SrsRtmpHsSchema srs_rtmp_hs_c1s1_find_schema(const uint8_t* c1s1, bool server) {
    if (srs_rtmp_hs_c1s1_valid(c1s1, SrsRtmpHsSchema0, server)) {
        return SrsRtmpHsSchema0;
    }
    if (srs_rtmp_hs_c1s1_valid(c1s1, SrsRtmpHsSchema1, server)) {
        return SrsRtmpHsSchema1;
    }
    return SrsRtmpHsSchemaNone;
}

srs_error_t srs_rtmp_hs_c1s1_build(uint8_t* c1s1, SrsRtmpHsSchema schema, bool server, uint32_t time,
                                   uint32_t version) {
    srs_error_t err = srs_random_bytes(c1s1, SRS_RTMP_HS_SIZE);
    if (err) {
        return srs_error_wrap(err, "c1s1");
    }
    srs_put_be32(c1s1, time);
    srs_put_be32(c1s1 + 4, version);
    // The key block stays random: without RTMPE nobody derives a shared key from it.
    uint8_t digest[SRS_RTMP_HS_DIGEST_SIZE];
    if ((err = srs_rtmp_hs_c1s1_digest(c1s1, schema, server, digest)) != srs_success) {
        return srs_error_wrap(err, "c1s1 digest");
    }
    memcpy(c1s1 + srs_rtmp_hs_digest_offset(c1s1, schema), digest, SRS_RTMP_HS_DIGEST_SIZE);
    return srs_success;
}

srs_error_t srs_rtmp_hs_c2s2_signature(const uint8_t* c2s2, const uint8_t* peer_digest, bool server,
                                       uint8_t* signature) {
    const uint8_t* key = server ? kFlashMediaServerKey : kFlashPlayerKey;
    int key_size = server ? (int)sizeof(kFlashMediaServerKey) : (int)sizeof(kFlashPlayerKey);
    uint8_t temp_key[SRS_RTMP_HS_DIGEST_SIZE];
    srs_error_t err = srs_hmac_sha256(key, key_size, peer_digest, SRS_RTMP_HS_DIGEST_SIZE, temp_key);
    if (err) {
        return srs_error_wrap(err, "c2s2 key");
    }
    if ((err = srs_hmac_sha256(temp_key, sizeof(temp_key), c2s2, kC2S2SignedSize, signature)) != srs_success) {
        return srs_error_wrap(err, "c2s2 signature");
    }
    return srs_success;
}

srs_error_t srs_rtmp_hs_c2s2_build(uint8_t* c2s2, const uint8_t* peer_digest, bool server) {
    srs_error_t err = srs_random_bytes(c2s2, SRS_RTMP_HS_SIZE);
    if (err) {
        return srs_error_wrap(err, "c2s2");
    }
    return srs_rtmp_hs_c2s2_signature(c2s2, peer_digest, server, c2s2 + kC2S2SignedSize);
}

bool srs_rtmp_hs_c2s2_valid(const uint8_t* c2s2, const uint8_t* our_digest, bool server) {
    uint8_t signature[SRS_RTMP_HS_DIGEST_SIZE];
    srs_error_t err = srs_rtmp_hs_c2s2_signature(c2s2, our_digest, server, signature);
    if (err) {
        srs_warn("handshake: signature failed: %s", srs_error_summary(err).c_str());
        return false;
    }
    return memcmp(signature, c2s2 + kC2S2SignedSize, SRS_RTMP_HS_DIGEST_SIZE) == 0;
}

srs_error_t srs_rtmp_hs_simple_c1s1(uint8_t* c1s1, uint32_t time) {
    srs_error_t err = srs_random_bytes(c1s1 + 8, SRS_RTMP_HS_SIZE - 8);
    if (err) {
        return srs_error_wrap(err, "simple c1s1");
    }
    srs_put_be32(c1s1, time);
    // Zero version: tells a peer this is the simple handshake (RTMP spec 5.2.3).
    srs_put_be32(c1s1 + 4, 0);
    return srs_success;
}

namespace {

srs_error_t srs_check_c0s0(uint8_t v, const char* what) {
    if (v == 6 || v == 8 || v == 9) {
        return srs_error_new(ERROR_RTMP_PLAIN_REQUIRED, "%s version %d is RTMPE (encrypted), not supported", what, v);
    }
    if (v != SRS_RTMP_VERSION) {
        return srs_error_new(ERROR_RTMP_HANDSHAKE, "%s version %d, expect %d", what, v, SRS_RTMP_VERSION);
    }
    return srs_success;
}

}  // namespace

srs_error_t SrsRtmpHandshake::server(ISrsProtocolReadWriter* io, bool* complex_used) {
    srs_error_t err = srs_success;
    if (complex_used) {
        *complex_used = false;
    }

    uint8_t c0c1[1 + SRS_RTMP_HS_SIZE];
    if ((err = io->read_fully(c0c1, sizeof(c0c1), nullptr)) != srs_success) {
        return srs_error_wrap(err, "handshake: read c0c1");
    }
    if ((err = srs_check_c0s0(c0c1[0], "c0")) != srs_success) {
        return srs_error_wrap(err, "handshake");
    }
    const uint8_t* c1 = c0c1 + 1;

    uint8_t s0s1s2[1 + 2 * SRS_RTMP_HS_SIZE];
    uint8_t* s1 = s0s1s2 + 1;
    uint8_t* s2 = s1 + SRS_RTMP_HS_SIZE;
    s0s1s2[0] = SRS_RTMP_VERSION;

    // Flash and most encoders sign C1; answer in the same schema. Clients that do not
    // sign get the simple handshake, whose S2 echoes C1 (RTMP spec 5.2.4).
    SrsRtmpHsSchema schema = srs_rtmp_hs_c1s1_find_schema(c1, false);
    if (schema != SrsRtmpHsSchemaNone) {
        uint8_t c1_digest[SRS_RTMP_HS_DIGEST_SIZE];
        memcpy(c1_digest, c1 + srs_rtmp_hs_digest_offset(c1, schema), SRS_RTMP_HS_DIGEST_SIZE);
        if ((err = srs_rtmp_hs_c1s1_build(s1, schema, true, srs_hs_now_ms(), kServerVersion)) != srs_success) {
            return srs_error_wrap(err, "handshake: s1");
        }
        if ((err = srs_rtmp_hs_c2s2_build(s2, c1_digest, true)) != srs_success) {
            return srs_error_wrap(err, "handshake: s2");
        }
    } else {
        if ((err = srs_rtmp_hs_simple_c1s1(s1, srs_hs_now_ms())) != srs_success) {
            return srs_error_wrap(err, "handshake: s1");
        }
        memcpy(s2, c1, SRS_RTMP_HS_SIZE);
    }

    if ((err = io->write(s0s1s2, sizeof(s0s1s2), nullptr)) != srs_success) {
        return srs_error_wrap(err, "handshake: write s0s1s2");
    }

    // C2 is read but not enforced: FMLE and others echo S1 instead of signing it.
    uint8_t c2[SRS_RTMP_HS_SIZE];
    if ((err = io->read_fully(c2, sizeof(c2), nullptr)) != srs_success) {
        return srs_error_wrap(err, "handshake: read c2");
    }
    if (schema != SrsRtmpHsSchemaNone) {
        uint8_t s1_digest[SRS_RTMP_HS_DIGEST_SIZE];
        memcpy(s1_digest, s1 + srs_rtmp_hs_digest_offset(s1, schema), SRS_RTMP_HS_DIGEST_SIZE);
        bool signed_c2 = srs_rtmp_hs_c2s2_valid(c2, s1_digest, false);
        srs_info("handshake: complex schema %d, c2 %s", (int)schema, signed_c2 ? "signed" : "not signed");
    }

    if (complex_used) {
        *complex_used = (schema != SrsRtmpHsSchemaNone);
    }
    return srs_success;
}

srs_error_t SrsRtmpHandshake::client(ISrsProtocolReadWriter* io, bool complex) {
    srs_error_t err = srs_success;

    uint8_t c0c1[1 + SRS_RTMP_HS_SIZE];
    c0c1[0] = SRS_RTMP_VERSION;
    uint8_t* c1 = c0c1 + 1;
    if (complex) {
        // Flash Player signs in schema 1 (digest block first).
        err = srs_rtmp_hs_c1s1_build(c1, SrsRtmpHsSchema1, false, srs_hs_now_ms(), kClientVersion);
    } else {
        err = srs_rtmp_hs_simple_c1s1(c1, srs_hs_now_ms());
    }
    if (err) {
        return srs_error_wrap(err, "handshake: c1");
    }
    if ((err = io->write(c0c1, sizeof(c0c1), nullptr)) != srs_success) {
        return srs_error_wrap(err, "handshake: write c0c1");
    }

    uint8_t s0s1s2[1 + 2 * SRS_RTMP_HS_SIZE];
    if ((err = io->read_fully(s0s1s2, sizeof(s0s1s2), nullptr)) != srs_success) {
        return srs_error_wrap(err, "handshake: read s0s1s2");
    }
    if ((err = srs_check_c0s0(s0s1s2[0], "s0")) != srs_success) {
        return srs_error_wrap(err, "handshake");
    }
    const uint8_t* s1 = s0s1s2 + 1;
    const uint8_t* s2 = s1 + SRS_RTMP_HS_SIZE;

    uint8_t c2[SRS_RTMP_HS_SIZE];
    SrsRtmpHsSchema schema = complex ? srs_rtmp_hs_c1s1_find_schema(s1, true) : SrsRtmpHsSchemaNone;
    if (schema != SrsRtmpHsSchemaNone) {
        uint8_t s1_digest[SRS_RTMP_HS_DIGEST_SIZE];
        memcpy(s1_digest, s1 + srs_rtmp_hs_digest_offset(s1, schema), SRS_RTMP_HS_DIGEST_SIZE);
        if ((err = srs_rtmp_hs_c2s2_build(c2, s1_digest, false)) != srs_success) {
            return srs_error_wrap(err, "handshake: c2");
        }
        uint8_t c1_digest[SRS_RTMP_HS_DIGEST_SIZE];
        memcpy(c1_digest, c1 + srs_rtmp_hs_digest_offset(c1, SrsRtmpHsSchema1), SRS_RTMP_HS_DIGEST_SIZE);
        if (!srs_rtmp_hs_c2s2_valid(s2, c1_digest, true)) {
            // Some servers sign S1 but echo C1 as S2; the connection works all the same.
            srs_info("handshake: s2 is not signed for our c1");
        }
    } else {
        // The simple handshake, or a server that did not sign S1: echo S1 (RTMP spec 5.2.4).
        memcpy(c2, s1, SRS_RTMP_HS_SIZE);
    }

    if ((err = io->write(c2, sizeof(c2), nullptr)) != srs_success) {
        return srs_error_wrap(err, "handshake: write c2");
    }
    return srs_success;
}
