// AES-128-CBC with PKCS#7 padding, as HLS encrypts whole segments (RFC 8216 4.3.2.4, 5.2).
// Bytes are encrypted as they come, so a segment is never held twice in memory.
#pragma once

#include <srs_core.hpp>
#include <srs_core_error.hpp>

#include <memory>
#include <string>

struct evp_cipher_ctx_st;

// The 16 bytes of an AES-128 key or IV.
constexpr int SRS_AES128_BYTES = 16;

// Cryptographically strong random bytes (keys).
srs_error_t srs_aes_random(std::string* out, int size);
// The IV of a segment without an IV attribute: its media sequence number as a 16-byte
// big-endian integer (RFC 8216 5.2).
std::string srs_aes_iv_of_sequence(int64_t sequence);

class SrsAes128CbcEncryptor {
public:
    SrsAes128CbcEncryptor();
    ~SrsAes128CbcEncryptor();
    SRS_DISALLOW_COPY(SrsAes128CbcEncryptor);

    // key and iv: 16 bytes each.
    srs_error_t init(const std::string& key, const std::string& iv);
    // Appends the cipher text of what whole blocks the input completes (the rest waits).
    srs_error_t update(const void* data, size_t size, std::string* out);
    // Appends the last block, padded; the encryptor is then spent until init again.
    srs_error_t finish(std::string* out);

private:
    struct Free {
        void operator()(evp_cipher_ctx_st* ctx) const;
    };
    std::unique_ptr<evp_cipher_ctx_st, Free> ctx_;
};

// A whole buffer at once.
srs_error_t srs_aes128_cbc_encrypt(const std::string& key, const std::string& iv, const std::string& plain,
                                   std::string* out);
