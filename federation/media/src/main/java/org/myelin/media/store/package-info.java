/** Where media bytes live: blobs named by the SHA-256 of their content, in a local directory or an S3 bucket. */
package org.myelin.media.store;
