/* Trang soạn thảo /quan-tri/ của cổng công khai: khởi động Decap CMS (tệp của Decap do npm cài, chép vào
 * khi dựng cổng) với cấu hình sinh từ sổ đăng ký loại văn bản (cau-hinh.json, congkhai/site/admin.py).
 *
 * - Giao diện tiếng Việt: ngôn ngữ `vi` của Decap, bổ sung những câu Decap còn để tiếng Anh.
 * - Mỗi đơn vị một bộ sưu tập cho mỗi loại văn bản; `?don-vi=mã` (hoặc `mã1,mã2`) chỉ hiện các đơn vị đó.
 * - Trên máy (`python build.py serve --edit`): lưu thẳng vào thư mục của cổng qua decap-server, kiểm tra
 *   trước khi lưu bằng chính bộ kiểm tra của `check`, và báo kết quả dựng xem trước sau khi lưu.
 * - Trên máy chủ: lưu vào kho Git cấu hình trong mkdocs.yml (extra.congkhai.editor); bản dựng của kho
 *   (CI) chạy `check` trên mỗi thay đổi.
 */
(function () {
  'use strict';
  var SESSION_URL = '/__congkhai/bien-tap.json';
  var TOO_MANY_UNITS = 40;

  // --- Giao diện tiếng Việt ---------------------------------------------------------------------
  // decap-cms-locales chỉ dịch khoảng 70 % câu của Decap; registerLocale thay cả bộ câu, nên gộp.
  function merge(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      var value = extra[key];
      out[key] = value && typeof value === 'object' ? merge((base && base[key]) || {}, value) : value;
    });
    return out;
  }
  CMS.registerLocale('vi', merge(CMS.getLocale('vi') || {}, {
    app: { header: { media: 'Tệp' } },
    collection: {
      collectionTop: { viewAsList: 'Xem dạng danh sách', viewAsGrid: 'Xem dạng lưới', groupBy: 'Nhóm theo' },
      entries: { unpublishedHeader: 'Chưa công bố' }
    },
    editor: {
      editorToolbar: {
        status: 'Trạng thái: %{status}',
        statusInfoTooltipDraft: 'Văn bản đang là bản nháp. Soạn xong thì chuyển sang "Đang xét duyệt".',
        statusInfoTooltipInReview: 'Văn bản đang chờ thủ trưởng đơn vị (hoặc người được giao) duyệt.'
      },
      editorWidgets: {
        list: { add: 'Thêm %{item}', addType: 'Thêm %{item}' },
        object: { expand: 'Mở rộng', collapse: 'Thu gọn' },
        datetime: { now: 'Hôm nay', clear: 'Xóa' },
        file: {
          choose: 'Chọn tệp', chooseDifferent: 'Chọn tệp khác', remove: 'Gỡ tệp',
          chooseMultiple: 'Chọn các tệp', addMore: 'Thêm tệp', removeAll: 'Gỡ mọi tệp',
          chooseUrl: 'Chèn từ địa chỉ', replaceUrl: 'Thay bằng địa chỉ', promptUrl: 'Nhập địa chỉ của tệp'
        },
        markdown: {
          bold: 'Đậm', italic: 'Nghiêng', strikethrough: 'Gạch ngang', code: 'Mã', link: 'Liên kết',
          linkPrompt: 'Nhập địa chỉ liên kết', headings: 'Đề mục', quote: 'Trích dẫn',
          bulletedList: 'Danh sách gạch đầu dòng', numberedList: 'Danh sách đánh số',
          addComponent: 'Thêm thành phần', richText: 'Soạn có định dạng', markdown: 'Markdown'
        }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { copy: 'Sao chép', copyUrl: 'Sao chép địa chỉ', copyPath: 'Sao chép đường dẫn',
                          copyName: 'Sao chép tên tệp', copied: 'Đã sao chép' },
      mediaLibraryModal: { close: 'Đóng' }
    }
  }));

  // --- Bảng thông báo của cổng (lỗi kiểm tra, kết quả dựng xem trước) ---------------------------
  function panel(tone, title, lines, link) {
    var box = document.getElementById('ck-thong-bao');
    if (!box) {
      box = document.createElement('div');
      box.id = 'ck-thong-bao';
      box.setAttribute('role', 'status');
      box.setAttribute('aria-live', 'polite');
      document.body.appendChild(box);
    }
    box.className = 'ck-' + tone;
    box.hidden = false;
    box.textContent = '';
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Đóng';
    close.addEventListener('click', function () { box.hidden = true; });
    var strong = document.createElement('strong');
    strong.textContent = title;
    box.append(close, strong);
    if (link) {
      var a = document.createElement('a');
      a.href = link.href;
      a.target = '_blank';
      a.rel = 'noopener';
      a.textContent = link.text;
      box.append(' ', a);
    }
    if (lines && lines.length) {
      var list = document.createElement('ul');
      lines.forEach(function (line) {
        var item = document.createElement('li');
        item.textContent = line;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
  }

  // A save refused by the portal's checks: Decap shows "Không thể lưu mục: <message>" in a toast.
  function Refusal(lines) {
    this.lines = lines;
    this.message = lines.join(' ');
  }
  Refusal.prototype.toString = function () { return this.message; };

  // --- Cấu hình --------------------------------------------------------------------------------
  function getJSON(url, options) {
    return fetch(url, Object.assign({ cache: 'no-store' }, options)).then(function (answer) {
      if (!answer.ok) throw new Error(url + ': ' + answer.status);
      return answer.json();
    });
  }

  function chosenUnits(all) {
    var wanted = new URLSearchParams(location.search).get('don-vi');
    if (!wanted) return all;
    var codes = wanted.split(',').map(function (code) { return code.trim(); });
    return all.filter(function (unit) { return codes.indexOf(unit.code) >= 0; });
  }

  function fillUnit(template, unit) {
    var name = JSON.stringify(unit.name).slice(1, -1);
    var text = JSON.stringify(template).split('@don-vi@').join(unit.code).split('@ten-don-vi@').join(name);
    return JSON.parse(text);
  }

  function showUnitChooser(all, note) {
    var page = document.createElement('main');
    page.className = 'ck-chon-don-vi';
    var title = document.createElement('h1');
    title.textContent = 'Soạn thảo và đăng văn bản';
    var intro = document.createElement('p');
    intro.textContent = note;
    var list = document.createElement('ul');
    all.forEach(function (unit) {
      var item = document.createElement('li');
      var a = document.createElement('a');
      a.href = '?don-vi=' + encodeURIComponent(unit.code);
      a.textContent = unit.name + ' (' + unit.code + ')';
      item.appendChild(a);
      list.appendChild(item);
    });
    page.append(title, intro, list);
    document.body.appendChild(page);
  }

  // --- Xem trước: văn bản như trên cổng, với CSS của cổng ----------------------------------------
  function portalStyles() {
    return fetch('../', { cache: 'no-store' }).then(function (answer) { return answer.ok ? answer.text() : ''; })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, 'text/html');
        return Array.prototype.map.call(page.querySelectorAll('link[rel="stylesheet"]'), function (link) {
          return new URL(link.getAttribute('href'), new URL('../', location.href)).href;
        });
      }).catch(function () { return []; });
  }

  function isoToVietnamese(value) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
    return match ? match[3] + '/' + match[2] + '/' + match[1] : value;
  }

  function previewTemplate(kindLabel, labels) {
    return createClass({
      render: function () {
        var data = this.props.entry.get('data');
        var facts = [];
        ['number', 'date', 'published', 'period'].forEach(function (name) {
          var value = data.get(name);
          if (value) facts.push(h('dt', { key: name + '-t' }, labels[name] || name),
                                h('dd', { key: name + '-d' }, isoToVietnamese(String(value))));
        });
        var signer = data.get('signer');
        if (signer && signer.get && (signer.get('name') || signer.get('title'))) {
          facts.push(h('dt', { key: 's-t' }, labels.signer || 'Người ký'),
                     h('dd', { key: 's-d' }, [signer.get('authority'), signer.get('title'), signer.get('name')]
                       .filter(Boolean).join(' – ')));
        }
        var files = (data.get('attachments') || []).map ? (data.get('attachments') || []) : [];
        var draft = (data.get('status') || 'published') === 'draft';
        return h('article', { className: 'md-typeset ck-xem-truoc' },
          h('p', { className: 'ck-xem-truoc__loai' }, kindLabel,
            draft ? h('span', { className: 'ck-xem-truoc__nhap' }, ' Bản nháp – chưa hiện trên cổng') : null),
          h('h1', null, data.get('title') || '(chưa có tiêu đề)'),
          facts.length ? h('dl', null, facts) : null,
          this.props.widgetFor('body'),
          files.size ? h('h2', null, labels.attachments || 'Tệp đính kèm') : null,
          files.size ? h('ul', null, files.map(function (item, index) {
            return h('li', { key: index }, (item.get('title') || item.get('file') || '') +
                     (item.get('file') ? ' (' + item.get('file') + ')' : ''));
          }).toArray()) : null);
      }
    });
  }

  // --- Trước khi lưu: trường bắt buộc khi đăng, rồi (trên máy) bộ kiểm tra của `check` ------------
  function collectionParts(name) {
    var at = name.lastIndexOf('__');
    return { unit: name.slice(0, at), kind: name.slice(at + 2) };
  }

  function isEmpty(value) {
    if (value === undefined || value === null) return true;
    if (typeof value === 'string') return value.trim() === '';
    if (value.size !== undefined) return value.size === 0;
    return false;
  }

  function missingWhenPublished(settings, entry) {
    var data = entry.get('data');
    if ((data.get('status') || 'published') === 'draft') return [];
    var kind = collectionParts(entry.get('collection')).kind;
    return (settings.published_required[kind] || []).filter(function (spec) {
      return isEmpty(data.get(spec.name));
    }).map(function (spec) {
      return spec.label + ' (' + spec.name + '): bắt buộc khi đăng. Sửa: điền trường này, hoặc để trạng thái ' +
        '"Bản nháp" nếu văn bản chưa ban hành.';
    });
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer), text = '';
    for (var i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  // Files chosen in this form are uploaded with the document, after this check: send their size and
  // enough of their bytes (all of a small file, the start of a large one) to check their type.
  function pendingFiles(entry) {
    var files = (entry.get('mediaFiles') || []).filter ? entry.get('mediaFiles').filter(function (file) {
      return file.get('draft') && file.get('file');
    }).toArray() : [];
    return Promise.all(files.map(function (file) {
      var blob = file.get('file');
      var part = blob.size <= 2 * 1024 * 1024 ? blob : blob.slice(0, 65536);
      return part.arrayBuffer().then(function (buffer) {
        return { name: file.get('name'), size: blob.size, data: base64(buffer), whole: part === blob };
      });
    }));
  }

  function checkOnServer(session, entry) {
    var where = collectionParts(entry.get('collection'));
    return pendingFiles(entry).then(function (pending) {
      return getJSON(session.validate, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ unit: where.unit, kind: where.kind, slug: entry.get('slug') || '',
                               data: entry.get('data').toJS(), pending: pending })
      });
    });
  }

  // Decap marks every field it does not require "(không bắt buộc)"; the fields required once the
  // document is published say so in their label instead.
  function hideOptionalMark(settings) {
    var names = {};
    Object.keys(settings.published_required).forEach(function (kind) {
      settings.published_required[kind].forEach(function (spec) { names[spec.name] = true; });
    });
    var style = document.createElement('style');
    style.textContent = Object.keys(names).map(function (name) {
      return 'label[for^="' + name + '-field-"] > span { display: none; }';
    }).join('\n');
    document.head.appendChild(style);
  }

  function registerChecks(settings, session) {
    CMS.registerEventListener({
      name: 'preSave',
      handler: function (event) {
        var missing = missingWhenPublished(settings, event.entry);
        if (missing.length) {
          panel('loi', 'Chưa lưu: văn bản còn thiếu thông tin bắt buộc khi đăng.', missing);
          throw new Refusal(missing);
        }
        if (!session) return undefined;
        panel('dang-kiem-tra', 'Đang kiểm tra văn bản…');
        return checkOnServer(session, event.entry).then(function (result) {
          if (result.errors.length) {
            panel('loi', 'Chưa lưu: bộ kiểm tra của cổng thấy ' + result.errors.length + ' lỗi.', result.errors);
            throw new Refusal(result.errors);
          }
          document.getElementById('ck-thong-bao').hidden = true;
          return undefined;
        });
      }
    });
    if (session) {
      CMS.registerEventListener({ name: 'postSave', handler: function (event) { followBuild(session, event.entry); } });
    }
  }

  // --- Sau khi lưu (trên máy): chờ bản dựng xem trước và báo kết quả ------------------------------
  // Decap goes to the saved document's address (#/collections/<collection>/entries/<slug>) once it
  // is written; the slug is known only then.
  function savedSlug(collection) {
    var match = new RegExp('/collections/' + collection + '/entries/([^/?]+)').exec(location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function followBuild(session, entry) {
    var where = collectionParts(entry.get('collection'));
    var draft = (entry.getIn(['data', 'status']) || 'published') === 'draft';
    var started = Date.now();
    var before = null;
    getJSON(session.status).then(function (state) { before = state.version; }).catch(function () {});
    panel('dang-kiem-tra', 'Đã lưu. Đang kiểm tra và dựng lại trang xem trước…');
    (function poll() {
      var slug = savedSlug(entry.get('collection'));
      if (slug === null || before === null) {
        if (Date.now() - started < 15000) setTimeout(poll, 200);
        return;
      }
      getJSON(session.status).then(function (state) {
        if ((state.version === before || state.building) && Date.now() - started < 120000) {
          setTimeout(poll, 500);
          return;
        }
        report(state, session.content + '/' + where.unit + '/' + where.kind + '/' + slug + '.md',
               '/' + where.unit + '/' + where.kind + '/' + slug + '/', draft);
      }).catch(function () { setTimeout(poll, 1000); });
    })();
  }

  function report(state, file, page, draft) {
    var mine = function (line) { return line.indexOf(file) >= 0; };
    var errors = state.errors.filter(mine);
    var warnings = state.warnings.filter(mine);
    if (state.errors.length) {
      panel('loi', 'Đã lưu ' + file + ', nhưng cổng chưa dựng lại được: ' + state.errors.length + ' lỗi' +
            (errors.length ? ', trong đó ' + errors.length + ' ở văn bản này.' : ' ở các tệp khác.'),
            errors.length ? errors : state.errors);
    } else if (draft) {
      panel('tot', 'Đã lưu bản nháp ' + file + ', không có lỗi. Bản nháp chưa hiện trên cổng.', warnings);
    } else {
      panel('tot', 'Đã lưu ' + file + ', không có lỗi. Trang xem trước đã cập nhật:', warnings,
            { href: page, text: page });
    }
  }

  // --- Khởi động -------------------------------------------------------------------------------
  function start(settings, session, styles) {
    var config = settings.config;
    var units = chosenUnits(settings.units);
    if (!new URLSearchParams(location.search).get('don-vi') && units.length > TOO_MANY_UNITS) {
      showUnitChooser(units, 'Chọn đơn vị của bạn (lưu địa chỉ trang vừa mở để lần sau vào thẳng):');
      return;
    }
    if (!units.length) {
      showUnitChooser(settings.units, 'Không có đơn vị nào mang mã trong địa chỉ (?don-vi=…). Chọn một đơn vị:');
      return;
    }
    if (session) {
      config.backend = { name: 'proxy', proxy_url: location.origin + session.api, branch: 'main' };
      config.publish_mode = session.publish_mode;
    } else if (!config.backend) {
      panel('loi', 'Trang soạn thảo chưa được nối với kho Git của cổng.', [
        'Trên máy: chạy "python build.py serve --edit" trong thư mục của cổng rồi mở địa chỉ lệnh in ra.',
        'Trên máy chủ: người quản trị ghi kho Git vào mkdocs.yml (extra.congkhai.editor), xem hướng dẫn soạn thảo.'
      ]);
      return;
    }
    config.collections = [];
    units.forEach(function (unit) {
      settings.collections.forEach(function (template) {
        var made = fillUnit(template, unit);
        var kind = collectionParts(made.name).kind;
        config.collections.push(made);
        CMS.registerPreviewTemplate(made.name, previewTemplate(made.label, settings.labels[kind] || {}));
      });
    });
    styles.concat(['xem-truoc.css']).forEach(function (href) { CMS.registerPreviewStyle(href); });
    registerChecks(settings, session);
    hideOptionalMark(settings);
    CMS.init({ config: config });
  }

  Promise.all([
    getJSON('cau-hinh.json'),
    getJSON(SESSION_URL).catch(function () { return null; }),
    portalStyles()
  ]).then(function (found) { start(found[0], found[1], found[2]); }).catch(function (error) {
    panel('loi', 'Không mở được trang soạn thảo.', [String(error)]);
  });
})();
