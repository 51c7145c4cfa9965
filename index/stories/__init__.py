"""Stories across feeds: exact copies (one canonical URL or guid) and near-duplicates (one
wire text under several headlines), grouped so a story is listed, read and bookmarked once.

``urls`` says when two links are the same page, ``shingles`` turns text into the word
shingles that are compared, ``minhash`` sketches them so near-duplicates are found through
LSH buckets kept in the store, and ``grouping`` assigns new articles to stories at refresh.
"""
