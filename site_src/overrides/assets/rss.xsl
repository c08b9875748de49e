<?xml version="1.0" encoding="UTF-8"?>
<!-- A feed opened in a browser: a Vietnamese page that says what the feed is and how to follow it,
     then its latest items. Each RSS file of the portal names this stylesheet (site/feeds.py). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/rss/channel">
    <html lang="vi">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width,initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="title"/> – kênh RSS</title>
        <style>
          body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d1d1d;background:#fff}
          header{background:#1459a8;color:#fff;padding:12px 16px}header p{margin:0;font-weight:700}
          main{max-width:46rem;margin:0 auto;padding:8px 16px 32px}h1{font-size:1.4rem;line-height:1.3}
          a{color:#1459a8;text-decoration:underline}a:focus-visible{outline:3px solid #102a43;outline-offset:2px}
          .skip{position:absolute;left:-999px}.skip:focus{position:static;display:block;background:#fff;color:#1459a8;padding:8px 16px}
          .about{background:#f3f5f8;border-left:4px solid #c2410c;padding:8px 16px;margin:16px 0}
          code{display:block;overflow-wrap:anywhere;background:#fff;border:1px solid #c4c4c4;padding:6px 8px;margin:6px 0;font-size:.9rem}
          ol{padding-left:1.2em}li{margin:0 0 14px}.meta{display:block;color:#595959;font-size:.85rem}
        </style>
      </head>
      <body>
        <header><a class="skip" href="#noi-dung">Đến nội dung chính</a><p>Kênh RSS – theo dõi văn bản mới</p></header>
        <main id="noi-dung">
          <h1><xsl:value-of select="title"/></h1>
          <p><xsl:value-of select="description"/></p>
          <div class="about">
            <h2>Đây là gì, dùng thế nào?</h2>
            <p>Đây là một kênh RSS: danh sách văn bản mới, để ứng dụng đọc tin trên điện thoại hay máy tính tự báo
              cho bạn khi có văn bản mới, không phải vào trang để xem.</p>
            <p>Cách theo dõi: mở một ứng dụng đọc tin (ví dụ Feedly, Inoreader, Thunderbird), chọn "thêm kênh" hoặc
              "theo dõi", rồi dán địa chỉ dưới đây:</p>
            <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code>
            <p>Không muốn cài ứng dụng? Xem các văn bản trên
              <a href="{link}">trang của cổng</a>.</p>
          </div>
          <h2>Các mục mới nhất</h2>
          <ol>
            <xsl:for-each select="item">
              <li>
                <a href="{link}"><xsl:value-of select="title"/></a>
                <span class="meta">
                  <xsl:call-template name="date"><xsl:with-param name="rfc" select="pubDate"/></xsl:call-template>
                  <xsl:if test="dc:creator"> · <xsl:value-of select="dc:creator"/></xsl:if>
                </span>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- "Fri, 10 Jul 2026 00:00:00 +0700" → "10/07/2026" -->
  <xsl:template name="date">
    <xsl:param name="rfc"/>
    <xsl:variable name="month" select="substring($rfc, 9, 3)"/>
    <xsl:value-of select="substring($rfc, 6, 2)"/>/<xsl:value-of
      select="substring('01020304050607080910111213', string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', $month)) div 3 * 2 + 1, 2)"/>/<xsl:value-of
      select="substring($rfc, 13, 4)"/>
  </xsl:template>
</xsl:stylesheet>
