#include <srs_protocol_aes.hpp>

#include <openssl/evp.h>
#include <openssl/rand.h>

srs_error_t srs_aes_random(std::string* out, int size) {
    out->assign((size_t)size, '\0');
    if (RAND_bytes((unsigned char*)&(*out)[0], size) != 1) {
        return srs_error_new(ERROR_OpenSslCipher, "random %d bytes", size);
    }
    return srs_success;
}

std::string srs_aes_iv_of_sequence(int64_t sequence) {
    std::string iv((size_t)SRS_AES128_BYTES, '\0');
    uint64_t v = (uint64_t)sequence;
    for (int i = SRS_AES128_BYTES - 1; i >= SRS_AES128_BYTES - 8; i--) {
        iv[i] = (char)(v & 0xff);
        v >>= 8;
    }
    return iv;
}

void SrsAes128CbcEncryptor::Free::operator()(evp_cipher_ctx_st* ctx) const {
    EVP_CIPHER_CTX_free(ctx);
}

SrsAes128CbcEncryptor::SrsAes128CbcEncryptor() = default;

SrsAes128CbcEncryptor::~SrsAes128CbcEncryptor() = default;

srs_error_t SrsAes128CbcEncryptor::init(const std::string& key, const std::string& iv) {
    if (key.size() != SRS_AES128_BYTES || iv.size() != SRS_AES128_BYTES) {
        return srs_error_new(ERROR_OpenSslCipher, "aes-128: key %d and iv %d bytes, not 16", (int)key.size(),
                             (int)iv.size());
    }
    if (!ctx_) {
        ctx_.reset(EVP_CIPHER_CTX_new());
        if (!ctx_) {
            return srs_error_new(ERROR_OpenSslCipher, "aes-128: new context");
        }
    }
    if (EVP_EncryptInit_ex(ctx_.get(), EVP_aes_128_cbc(), nullptr, (const unsigned char*)key.data(),
                           (const unsigned char*)iv.data()) != 1) {
        return srs_error_new(ERROR_OpenSslCipher, "aes-128: init");
    }
    return srs_success;
}

srs_error_t SrsAes128CbcEncryptor::update(const void* data, size_t size, std::string* out) {
    if (!ctx_) {
        return srs_error_new(ERROR_OpenSslCipher, "aes-128: not initialized");
    }
    const unsigned char* p = (const unsigned char*)data;
    // EVP takes int lengths: large inputs go in pieces.
    const size_t piece = 1 << 20;
    while (size > 0) {
        int n = (int)(size < piece ? size : piece);
        size_t at = out->size();
        out->resize(at + n + SRS_AES128_BYTES);
        int written = 0;
        if (EVP_EncryptUpdate(ctx_.get(), (unsigned char*)&(*out)[at], &written, p, n) != 1) {
            out->resize(at);
            return srs_error_new(ERROR_OpenSslCipher, "aes-128: encrypt %d bytes", n);
        }
        out->resize(at + written);
        p += n;
        size -= n;
    }
    return srs_success;
}

srs_error_t SrsAes128CbcEncryptor::finish(std::string* out) {
    if (!ctx_) {
        return srs_error_new(ERROR_OpenSslCipher, "aes-128: not initialized");
    }
    size_t at = out->size();
    out->resize(at + SRS_AES128_BYTES);
    int written = 0;
    if (EVP_EncryptFinal_ex(ctx_.get(), (unsigned char*)&(*out)[at], &written) != 1) {
        out->resize(at);
        return srs_error_new(ERROR_OpenSslCipher, "aes-128: final block");
    }
    out->resize(at + written);
    return srs_success;
}

srs_error_t srs_aes128_cbc_encrypt(const std::string& key, const std::string& iv, const std::string& plain,
                                   std::string* out) {
    srs_error_t err = srs_success;
    SrsAes128CbcEncryptor aes;
    out->clear();
    out->reserve(plain.size() + SRS_AES128_BYTES);
    if ((err = aes.init(key, iv)) != srs_success ||
        (err = aes.update(plain.data(), plain.size(), out)) != srs_success || (err = aes.finish(out)) != srs_success) {
        return err;
    }
    return srs_success;
}
