/**
 * URL previews ({@code preview_url}): the page fetched through the outbound guard, its OpenGraph tags read with
 * jsoup, its image stored in the content repository, and the answer cached per URL in PostgreSQL.
 */
package org.myelin.clientapi.media.preview;
