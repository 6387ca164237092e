void put_bytes(const char *s, long n);
void put_str(const char *s);
void put_int(long v);
