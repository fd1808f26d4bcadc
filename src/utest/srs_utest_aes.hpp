// What a player does with an AES-128 HLS segment: CBC decryption, the PKCS#7 padding checked
// and removed. Shared by the cipher's and the HLS muxer's tests.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

namespace srs_utest {

inline bool aes128_cbc_decrypt(const std::string& key, const std::string& iv, const std::string& sealed,
                               std::string* plain) {
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    plain->assign(sealed.size() + 16, '\0');
    int n = 0, m = 0;
    if (key.size() != 16 || iv.size() != 16 ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, (const unsigned char*)key.data(),
                           (const unsigned char*)iv.data()) != 1 ||
        EVP_DecryptUpdate(ctx.get(), (unsigned char*)&(*plain)[0], &n, (const unsigned char*)sealed.data(),
                          (int)sealed.size()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), (unsigned char*)&(*plain)[n], &m) != 1) {
        return false;
    }
    plain->resize(n + m);
    return true;
}

}  // namespace srs_utest
