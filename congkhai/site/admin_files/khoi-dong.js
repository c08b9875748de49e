// Trang soạn thảo /quan-tri/: Decap CMS không tự khởi động; quan-tri.js khởi động nó với cấu hình
// sinh từ sổ đăng ký loại văn bản (cau-hinh.json). Tệp riêng vì trang không có mã script nội tuyến.
window.CMS_MANUAL_INIT = true;
