/** The content repository's metadata: media rows (uploaded or pending) and their stored thumbnails. */
package org.myelin.db.media;
