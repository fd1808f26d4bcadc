#include <srs_kernel_io.hpp>

#include <srs_kernel_path.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

SrsFileWriter::SrsFileWriter() = default;

SrsFileWriter::~SrsFileWriter() {
    close();
}

srs_error_t SrsFileWriter::open(const std::string& path) {
    if (fd_ >= 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_ALREADY_OPENED, "file %s already opened", path_.c_str());
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_OPENE, "open %s: %s", path.c_str(), strerror(errno));
    }
    fd_ = fd;
    path_ = path;
    written_ = 0;
    return srs_success;
}

srs_error_t SrsFileWriter::open_append(const std::string& path) {
    if (fd_ >= 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_ALREADY_OPENED, "file %s already opened", path_.c_str());
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_OPENE, "open %s: %s", path.c_str(), strerror(errno));
    }
    fd_ = fd;
    path_ = path;
    off_t end = ::lseek(fd, 0, SEEK_END);
    written_ = end > 0 ? (int64_t)end : 0;
    return srs_success;
}

srs_error_t SrsFileWriter::seek(int64_t offset) {
    if (fd_ < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_SEEK, "seek: file not open");
    }
    if (::lseek(fd_, (off_t)offset, SEEK_SET) < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_SEEK, "seek %s to %lld: %s", path_.c_str(), (long long)offset,
                             strerror(errno));
    }
    written_ = offset;
    return srs_success;
}

void SrsFileWriter::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

srs_error_t SrsFileWriter::write(const void* buf, size_t size, ssize_t* nwrite) {
    iovec iov{const_cast<void*>(buf), size};
    return writev(&iov, 1, nwrite);
}

srs_error_t SrsFileWriter::writev(const iovec* iov, int iov_size, ssize_t* nwrite) {
    if (fd_ < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_WRITE, "write: file not open");
    }
    size_t total = 0;
    for (int i = 0; i < iov_size; i++) {
        total += iov[i].iov_len;
    }
    // Loop on short writes; copy only the iovec array, never the data.
    size_t done = 0;
    int first = 0;
    size_t first_off = 0;
    while (done < total) {
        iovec local[64];
        int n = 0;
        for (int i = first; i < iov_size && n < 64; i++) {
            size_t off = (i == first) ? first_off : 0;
            local[n++] = iovec{(char*)iov[i].iov_base + off, iov[i].iov_len - off};
        }
        ssize_t nb = ::writev(fd_, local, n);
        if (nb < 0) {
            if (errno == EINTR) {
                continue;
            }
            return srs_error_new(ERROR_SYSTEM_FILE_WRITE, "write %s: %s", path_.c_str(), strerror(errno));
        }
        done += nb;
        size_t adv = nb;
        while (first < iov_size && adv >= iov[first].iov_len - first_off) {
            adv -= iov[first].iov_len - first_off;
            first++;
            first_off = 0;
        }
        first_off += adv;
    }
    written_ += total;
    if (nwrite) {
        *nwrite = (ssize_t)total;
    }
    return srs_success;
}

SrsFileReader::SrsFileReader() = default;

SrsFileReader::~SrsFileReader() {
    close();
}

srs_error_t SrsFileReader::open(const std::string& path) {
    if (fd_ >= 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_ALREADY_OPENED, "file %s already opened", path_.c_str());
    }
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int code = (errno == ENOENT) ? ERROR_SYSTEM_FILE_NOT_EXISTS : ERROR_SYSTEM_FILE_OPENE;
        return srs_error_new(code, "open %s: %s", path.c_str(), strerror(errno));
    }
    fd_ = fd;
    path_ = path;
    return srs_success;
}

void SrsFileReader::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

int64_t SrsFileReader::filesize() const {
    struct stat st;
    if (fd_ < 0 || fstat(fd_, &st) != 0) {
        return -1;
    }
    return (int64_t)st.st_size;
}

srs_error_t SrsFileReader::read(void* buf, size_t size, ssize_t* nread) {
    if (fd_ < 0) {
        return srs_error_new(ERROR_SYSTEM_FILE_READ, "read: file not open");
    }
    while (true) {
        ssize_t nb = ::read(fd_, buf, size);
        if (nb < 0 && errno == EINTR) {
            continue;
        }
        if (nb < 0) {
            return srs_error_new(ERROR_SYSTEM_FILE_READ, "read %s: %s", path_.c_str(), strerror(errno));
        }
        if (nb == 0) {
            return srs_error_new(ERROR_SYSTEM_FILE_EOF, "read %s: end of file", path_.c_str());
        }
        if (nread) {
            *nread = nb;
        }
        return srs_success;
    }
}

srs_error_t SrsMemoryWriter::write(const void* buf, size_t size, ssize_t* nwrite) {
    calls_++;
    bytes_.append((const char*)buf, size);
    if (nwrite) {
        *nwrite = (ssize_t)size;
    }
    return srs_success;
}

srs_error_t SrsMemoryWriter::writev(const iovec* iov, int iov_size, ssize_t* nwrite) {
    calls_++;
    size_t total = 0;
    for (int i = 0; i < iov_size; i++) {
        bytes_.append((const char*)iov[i].iov_base, iov[i].iov_len);
        total += iov[i].iov_len;
    }
    if (nwrite) {
        *nwrite = (ssize_t)total;
    }
    return srs_success;
}

srs_error_t SrsMemoryReader::read(void* buf, size_t size, ssize_t* nread) {
    if (pos_ >= bytes_.size()) {
        return srs_error_new(ERROR_SYSTEM_FILE_EOF, "memory reader: end of data");
    }
    size_t n = bytes_.size() - pos_;
    n = n < size ? n : size;
    if (max_read_ > 0 && n > max_read_) {
        n = max_read_;
    }
    memcpy(buf, bytes_.data() + pos_, n);
    pos_ += n;
    if (nread) {
        *nread = (ssize_t)n;
    }
    return srs_success;
}

srs_error_t srs_file_write_atomic(const std::string& path, const std::string& content) {
    srs_error_t err = srs_success;
    if ((err = srs_path_mkdir_all(srs_path_dirname(path))) != srs_success) {
        return srs_error_wrap(err, "mkdir for %s", path.c_str());
    }
    std::string tmp = path + ".tmp";
    {
        SrsFileWriter w;
        if ((err = w.open(tmp)) != srs_success) {
            return err;
        }
        if ((err = w.write(content.data(), content.size(), nullptr)) != srs_success) {
            w.close();
            ::unlink(tmp.c_str());
            return err;
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) < 0) {
        int e = errno;
        ::unlink(tmp.c_str());
        return srs_error_new(ERROR_SYSTEM_FILE_RENAME, "rename %s: %s", path.c_str(), strerror(e));
    }
    return srs_success;
}
