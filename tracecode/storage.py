"""Where stored files go, as a STORAGES entry: the one place the S3 options are chosen, for the
settings (TRACECODE_S3_…) and the tests' S3 server alike. No Django import."""

MB = 1024 * 1024


def s3(
    bucket: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    prefix: str = "",
    access_key: str | None = None,
    secret_key: str | None = None,
) -> dict:
    """django-storages' S3 backend for an S3-compatible bucket; credentials, when not given, as
    boto3 finds them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, the machine's role).
    """
    from boto3.s3.transfer import TransferConfig

    # An upload holds its parts in memory while it sends them: S3's smallest part (5 MB), two
    # at a time, keep that near 10 MB whatever the file's size (boto3's defaults: 8 MB parts,
    # ten in flight, and ten more read ahead from a stream).
    transfer = TransferConfig(
        multipart_threshold=5 * MB, multipart_chunksize=5 * MB, max_concurrency=1
    )
    transfer.max_in_memory_upload_chunks = 1  # s3transfer's own setting, not in boto3's init
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,  # a non-AWS server is addressed path-style
        "region_name": region or None,
        "location": prefix.strip("/"),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "transfer_config": transfer,
    }
    if access_key:
        options.update(access_key=access_key, secret_key=secret_key)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
